import DriftJSON
import DriftContracts
import DriftStats

/// A reservoir sample (algorithm R) of resolved rows, stored flat — one array per kind of value, `capacity`
/// rows each — so that sampling a row copies its values into storage allocated once instead of keeping a
/// copy of the event's arrays.
struct ResolvedRowSample {
    let capacity: Int
    private let numericWidth: Int
    private let categoricalWidth: Int
    private(set) var rows = 0
    private var numbers: [Double] = []
    private var categories: [Int32] = []
    private var unseenSymbols: [Symbol] = []
    private var unseenNumbers: [Double] = []
    private var generator: SplitMix64

    init(capacity: Int, numericWidth: Int, categoricalWidth: Int, seed: UInt64) {
        self.capacity = capacity
        self.numericWidth = numericWidth
        self.categoricalWidth = categoricalWidth
        generator = SplitMix64(seed: seed)
    }

    /// Offers the `seen`-th row (1-based) to the sample.
    mutating func offer(_ row: ResolvedFeatures, seen: UInt64) {
        guard capacity > 0 else { return }
        if rows < capacity {
            numbers += row.numbers
            categories += row.categories
            unseenSymbols += row.unseenSymbols
            unseenNumbers += row.unseenNumbers
            rows += 1
            return
        }
        let slot = Int(generator.next() % seen)
        guard slot < capacity else { return }
        numbers.replaceSubrange(slot * numericWidth..<(slot + 1) * numericWidth, with: row.numbers)
        categories.replaceSubrange(slot * categoricalWidth..<(slot + 1) * categoricalWidth, with: row.categories)
        unseenSymbols.replaceSubrange(slot * categoricalWidth..<(slot + 1) * categoricalWidth, with: row.unseenSymbols)
        unseenNumbers.replaceSubrange(slot * categoricalWidth..<(slot + 1) * categoricalWidth, with: row.unseenNumbers)
    }

    /// Row `row`'s values in profile order, with symbols turned back into strings.
    func values(_ row: Int, binding: ModelBinding, symbols: SymbolTable) -> [RowSample.Value] {
        binding.slots.map { slot -> RowSample.Value in
            switch slot {
            case .numeric(let index):
                let value = numbers[row * numericWidth + index]
                return value.isNaN ? .missing : .number(value)
            case .categorical(let index):
                let position = row * categoricalWidth + index
                switch categories[position] {
                case ResolvedFeatures.missing: return .missing
                case ResolvedFeatures.unseen:
                    let symbol = unseenSymbols[position]
                    return .string(symbol == .overflow ? "#overflow" : symbols.string(symbol))
                case ResolvedFeatures.unseenNumber: return .string(unseenNumbers[position].canonicalText)
                case let category: return .string(binding.categoryNames[index][Int(category)])
                }
            }
        }
    }
}
