/// Why a registry operation failed.
public enum RegistryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A model id that cannot name a directory (empty, a path, hidden).
    case invalidModelID(String)
    /// No such model, or no such version of it.
    case notFound(String)
    /// A stored file is damaged or of an unknown format.
    case damaged(path: String, reason: String)
    /// The file system refused an operation.
    case io(path: String, reason: String)
    /// Another process holds the model's lock.
    case busy(String)

    public var description: String {
        switch self {
        case .invalidModelID(let id): "invalid model id \"\(id)\": use letters, digits, '.', '_' and '-', not starting with '.'"
        case .notFound(let what): "not in the registry: \(what)"
        case .damaged(let path, let reason): "damaged registry file \(path): \(reason)"
        case .io(let path, let reason): "registry I/O failed at \(path): \(reason)"
        case .busy(let model): "model \(model) is being changed by another process"
        }
    }
}
