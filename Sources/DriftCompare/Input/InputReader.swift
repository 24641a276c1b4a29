/// Reads the input files into tokenized tables, using every core: the files are read and inflated
/// concurrently, then all their chunks (about 1 MiB of text each) are tokenized in one parallel loop.
enum InputReader {
    /// Text per chunk (128 KiB): the chunk's text and cells stay in a core's L2 cache while it is decoded,
    /// and many chunks balance two files over the cores (measured best among 32 KiB–1 MiB).
    static let chunkSize = 1 << 17

    enum Layout: Sendable {
        case csv(CSVTokenizer.Header)
        case jsonLines
    }

    /// A file read and split, ready for the chunk scans.
    struct Prepared: Sendable {
        var file: LoadedFile
        var layout: Layout
        var boundaries: [Int]
        var format: InputFormat {
            switch layout {
            case .csv: .csv
            case .jsonLines: .jsonLines
            }
        }
        var chunkCount: Int { boundaries.count - 1 }
        /// The CSV header's column names (`nil` for JSON Lines, whose keys are known only after tokenizing).
        var headerNames: [String]? {
            if case .csv(let header) = layout { header.names } else { nil }
        }
    }

    /// What the chunk scans can decode right after tokenizing (CSV, whose columns are known from the
    /// headers): the compared columns' names and, per file, their indexes.
    struct EarlyDecode: Sendable {
        var decoder: TypedDecoder
        var names: [String]
        var columns: [[Int]]
    }

    /// Loads every path (in parallel) into a tokenized table. `chunkSize` is a parameter for tests.
    static func load(
        paths: [String], delimiter: UInt8?, selection: ColumnSelection, progress: (any ProgressObserver)?,
        chunkSize: Int = chunkSize
    ) throws(CompareError) -> [TokenizedTable] {
        let prepared = try prepare(paths: paths, delimiter: delimiter, chunkSize: chunkSize, progress: progress)
        return try tokenize(prepared, selection: selection, early: nil, progress: progress).tables
    }

    /// Reads, inflates and plans every file, in parallel.
    static func prepare(
        paths: [String], delimiter: UInt8?, chunkSize: Int = chunkSize, progress: (any ProgressObserver)?
    ) throws(CompareError) -> [Prepared] {
        progress?.begin(stage: "reading", total: paths.reduce(0) { $0 + (FileLoader.fileSize($1) ?? 0) })
        return try Parallel.map(paths.count) { index throws(CompareError) in
            try prepare(path: paths[index], delimiter: delimiter, chunkSize: chunkSize, progress: progress)
        }
    }

    /// Tokenizes the chunks of every file in one parallel loop. With `early`, each chunk job also
    /// decodes its chunk while the text is in cache; `pieces[file][chunk]` is then that chunk's result,
    /// or `nil` where it is not available (a decoding error, to be raised again by the decode stage in
    /// file order, or a file tokenized again in one pass).
    static func tokenize(
        _ prepared: [Prepared], selection: ColumnSelection, early: EarlyDecode?, progress: (any ProgressObserver)?
    ) throws(CompareError) -> (tables: [TokenizedTable], pieces: [[TypedDecoder.SegmentPieces?]]) {
        progress?.begin(stage: "tokenizing", total: prepared.reduce(0) { $0 + ($1.boundaries.last ?? 0) - ($1.boundaries.first ?? 0) })
        let jobs = prepared.enumerated().flatMap { file, input in (0..<input.chunkCount).map { (file, $0) } }
        typealias Outcome = (chunk: Result<TokenizedChunk, CompareError>, pieces: TypedDecoder.SegmentPieces?)
        let results = try Parallel.map(jobs.count) { job throws(CompareError) -> Outcome in
            let (file, chunk) = jobs[job]
            let input = prepared[file]
            defer { progress?.advance(by: input.boundaries[chunk + 1] - input.boundaries[chunk]) }
            let result = Result { () throws(CompareError) in
                try tokenize(input, from: input.boundaries[chunk], to: input.boundaries[chunk + 1], selection: selection)
            }
            guard let early, case .success(let tokenized) = result, !tokenized.sawStrayQuote else { return (result, nil) }
            let text = ChunkText(path: input.file.path, bytes: input.file.bytes, format: input.format, chunk: tokenized)
            let pieces = try? early.decoder.decodeSegment(
                text, rows: 0..<tokenized.rowCount, names: early.names, columns: early.columns[file])
            return (result, pieces)
        }
        var tables: [TokenizedTable] = []
        var pieces: [[TypedDecoder.SegmentPieces?]] = []
        var next = 0
        for input in prepared {
            let outcomes = results[next..<(next + input.chunkCount)]
            next += input.chunkCount
            let table = try assemble(input, chunks: outcomes.map(\.chunk), selection: selection)
            // A file tokenized again in one pass has other chunks: its early pieces do not apply.
            pieces.append(table.chunks.count == input.chunkCount ? outcomes.map(\.pieces) : [])
            tables.append(table)
        }
        return (tables, pieces)
    }

    /// Reads one file, detects its format, reads the CSV header and plans the chunks.
    static func prepare(
        path: String, delimiter: UInt8?, chunkSize: Int, progress: (any ProgressObserver)?
    ) throws(CompareError) -> Prepared {
        let file = try FileLoader.load(path: path, progress: progress)
        let format = InputFormat.detect(path: path, bytes: file.bytes)
        switch format {
        case .csv:
            let header = try CSVTokenizer.header(path: path, bytes: file.bytes, delimiter: delimiter ?? defaultDelimiter(path))
            let boundaries = CSVTokenizer.chunkBoundaries(file.bytes, from: header.dataStart, targetSize: chunkSize)
            return Prepared(file: file, layout: .csv(header), boundaries: boundaries)
        case .jsonLines:
            let start = CSVTokenizer.contentStart(file.bytes)
            let boundaries = JSONLinesTokenizer.chunkBoundaries(file.bytes, from: start, targetSize: chunkSize)
            return Prepared(file: file, layout: .jsonLines, boundaries: boundaries)
        }
    }

    /// `.tsv` files default to tab; others are sniffed.
    private static func defaultDelimiter(_ path: String) -> UInt8? {
        var name = path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        return name.hasSuffix(".tsv") ? UInt8(ascii: "\t") : nil
    }

    static func tokenize(_ input: Prepared, from: Int, to: Int, selection: ColumnSelection) throws(CompareError) -> TokenizedChunk {
        switch input.layout {
        case .csv(let header):
            return try CSVTokenizer.tokenize(
                path: input.file.path, bytes: input.file.bytes, from: from, to: to, columnCount: header.names.count,
                delimiter: header.delimiter)
        case .jsonLines:
            return try JSONLinesTokenizer.tokenize(
                path: input.file.path, bytes: input.file.bytes, from: from, to: to, selection: selection)
        }
    }

    /// Joins the chunks of one file. For CSV split in several chunks, a stray quote seen by any chunk,
    /// or an error while the text holds quotes, means a boundary may have fallen inside a quoted field:
    /// the file is then tokenized again in one sequential pass, whose result (or error) is the truth.
    static func assemble(
        _ input: Prepared, chunks results: [Result<TokenizedChunk, CompareError>], selection: ColumnSelection
    ) throws(CompareError) -> TokenizedTable {
        var chunks: [TokenizedChunk] = []
        var failure: CompareError?
        var strayQuote = false
        for result in results {
            switch result {
            case .success(let chunk):
                strayQuote = strayQuote || chunk.sawStrayQuote
                chunks.append(chunk)
            case .failure(let error):
                failure = failure ?? error
            }
        }
        let path = input.file.path
        if input.format == .csv && input.chunkCount > 1 && (strayQuote || (failure != nil && input.file.bytes.contains(CSVTokenizer.quote))) {
            chunks = [try tokenize(input, from: input.boundaries[0], to: input.file.bytes.count, selection: selection)]
            failure = nil
        }
        if let failure { throw failure }
        var names: [String]
        var delimiter: UInt8?
        switch input.layout {
        case .csv(let header):
            names = header.names
            delimiter = header.delimiter
        case .jsonLines:
            // The union of keys in order of first appearance; each chunk maps them to its own slots.
            var keys: [[UInt8]] = []
            var index: [[UInt8]: Int] = [:]
            for chunk in chunks {
                for key in chunk.keys where index[key] == nil {
                    index[key] = keys.count
                    keys.append(key)
                }
            }
            names = keys.map { String(decoding: $0, as: UTF8.self) }
            for c in chunks.indices {
                var slots = Array(repeating: -1, count: keys.count)
                for (slot, key) in chunks[c].keys.enumerated() {
                    if let global = index[key] { slots[global] = slot }
                }
                chunks[c].slots = slots
            }
        }
        let table = TokenizedTable(
            path: path, bytes: input.file.bytes, format: input.format, wasGzip: input.file.wasGzip,
            delimiter: delimiter, columnNames: names, chunks: chunks)
        if table.rowCount == 0 { throw .noDataRows(path: path) }
        return table
    }
}
