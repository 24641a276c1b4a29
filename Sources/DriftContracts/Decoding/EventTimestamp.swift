/// Event times: RFC 3339 text or epoch milliseconds in, milliseconds since the Unix epoch (UTC) inside.
public enum EventTimestamp {
    /// The largest time accepted: the start of year 10000 (RFC 3339 has four-digit years).
    public static let maximumMilliseconds: Int64 = 253_402_300_800_000

    /// Parses RFC 3339 (`2026-11-23T10:15:30Z`, `2026-11-23T10:15:30.123+01:00`; `t`, `z` and a space for
    /// `T` accepted; fractions beyond milliseconds truncated). `nil` if malformed or out of range.
    public static func parse(_ text: UnsafeRawBufferPointer) -> Int64? {
        let n = text.count
        guard n >= 20 else { return nil }
        func digits(_ at: Int, _ count: Int) -> Int? {
            var value = 0
            for k in at..<(at + count) {
                let d = Int(text[k]) - 48
                guard d >= 0 && d <= 9 else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard let year = digits(0, 4), text[4] == UInt8(ascii: "-"), let month = digits(5, 2), text[7] == UInt8(ascii: "-"),
            let day = digits(8, 2), text[10] | 0x20 == UInt8(ascii: "t") || text[10] == UInt8(ascii: " "),
            let hour = digits(11, 2), text[13] == UInt8(ascii: ":"), let minute = digits(14, 2),
            text[16] == UInt8(ascii: ":"), let second = digits(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60,
            second < 61
        else { return nil }
        var i = 19
        var millis = 0
        if text[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 100
            let fractionStart = i
            while i < n, text[i] >= 48, text[i] <= 57 {
                millis += Int(text[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > fractionStart else { return nil }
        }
        guard i < n else { return nil }
        var offsetMinutes = 0
        if text[i] | 0x20 == UInt8(ascii: "z") {
            i += 1
        } else if text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") {
            guard i + 6 == n, let oh = digits(i + 1, 2), text[i + 3] == UInt8(ascii: ":"), let om = digits(i + 4, 2),
                oh < 24, om < 60
            else { return nil }
            offsetMinutes = (oh * 60 + om) * (text[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == n else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3_600 + min(second, 59) + minute * 60 - offsetMinutes * 60)
        let result = seconds * 1_000 + Int64(millis)
        guard result >= 0, result < maximumMilliseconds else { return nil }
        return result
    }

    /// Parses RFC 3339 text.
    public static func parse(_ text: String) -> Int64? {
        var copy = text
        return copy.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// `2026-11-23T10:15:30.123Z` for a time in milliseconds since the epoch.
    public static func format(_ milliseconds: Int64) -> String {
        let millis = Int(((milliseconds % 1_000) + 1_000) % 1_000)
        let totalSeconds = (milliseconds - Int64(millis)) / 1_000
        let days = Int(totalSeconds >= 0 ? totalSeconds / 86_400 : (totalSeconds - 86_399) / 86_400)
        let secondsOfDay = Int(totalSeconds - Int64(days) * 86_400)
        let (year, month, day) = civilFromDays(days)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondsOfDay / 3_600, 2)):"
            + "\(pad(secondsOfDay / 60 % 60, 2)):\(pad(secondsOfDay % 60, 2)).\(pad(millis, 3))Z"
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
