import Foundation

/// A point in time with nanosecond precision, as `google.protobuf.Timestamp`: seconds since
/// 1970-01-01T00:00:00Z and a fraction. Comparisons are exact, which matters for the closed
/// validity intervals of a trusted root (`validFor.end` is inclusive).
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var seconds: Int64
    public var nanoseconds: Int32

    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// The time of `date`; dates beyond the range of `Int64` seconds (about ±292 billion
    /// years) saturate to its ends, and a NaN date is the epoch.
    public init(_ date: Date) {
        let interval = date.timeIntervalSince1970
        let whole = interval.rounded(.down)
        if let seconds = Int64(exactly: whole) {
            self.seconds = seconds
            // The fraction of a second is in [0, 1), so this is in [0, 1e9).
            self.nanoseconds = min(Int32(((interval - whole) * 1e9).rounded(.down)), 999_999_999)
        } else {
            self.seconds = interval.isNaN ? 0 : (interval < 0 ? .min : .max)
            self.nanoseconds = 0
        }
    }

    /// The whole seconds RFC 3339 can write: 0001-01-01T00:00:00Z through
    /// 9999-12-31T23:59:59Z (RFC 3339 §5.6 `date-fullyear` has four digits).
    package static let rfc3339Seconds: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

    public var date: Date {
        Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1e9)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    /// Parses RFC 3339 `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
    public init?(rfc3339 text: String) {
        let chars = Array(text.utf8)
        guard chars.count >= 20, chars.count <= 40 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard index < chars.count, chars[index] >= 0x30, chars[index] <= 0x39 else { return nil }
                value = value * 10 + Int(chars[index] - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), chars[4] == UInt8(ascii: "-"), let month = number(5..<7),
            chars[7] == UInt8(ascii: "-"), let day = number(8..<10),
            chars[10] == UInt8(ascii: "T") || chars[10] == UInt8(ascii: "t"),
            let hour = number(11..<13), chars[13] == UInt8(ascii: ":"), let minute = number(14..<16),
            chars[16] == UInt8(ascii: ":"), let second = number(17..<19)
        else { return nil }
        var index = 19
        var nanos = 0
        if chars[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < chars.count, chars[index] >= 0x30, chars[index] <= 0x39 {
                if digits < 9 { nanos = nanos * 10 + Int(chars[index] - 0x30) }
                digits += 1
                index += 1
            }
            guard digits > 0, digits <= 9 else { return nil }
            for _ in digits..<9 { nanos *= 10 }
        }
        var offsetSeconds = 0
        guard index < chars.count else { return nil }
        if chars[index] == UInt8(ascii: "Z") || chars[index] == UInt8(ascii: "z") {
            index += 1
        } else if chars[index] == UInt8(ascii: "+") || chars[index] == UInt8(ascii: "-") {
            let sign = chars[index] == UInt8(ascii: "+") ? 1 : -1
            guard let offsetHour = number(index + 1..<index + 3), index + 3 < chars.count, chars[index + 3] == UInt8(ascii: ":"),
                let offsetMinute = number(index + 4..<index + 6), offsetHour < 24, offsetMinute < 60
            else { return nil }
            offsetSeconds = sign * (offsetHour * 3600 + offsetMinute * 60)
            index += 6
        } else {
            return nil
        }
        guard index == chars.count else { return nil }
        guard let days = Self.daysFromCivil(year: year, month: month, day: day),
            hour < 24, minute < 60, second < 61
        else { return nil }
        self.seconds = Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + min(second, 59)) - Int64(offsetSeconds)
        self.nanoseconds = Int32(nanos)
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date, or nil if the date does not exist.
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int? {
        guard (1...12).contains(month), day >= 1 else { return nil }
        let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let monthDays = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= monthDays[month - 1] else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    /// The UTC calendar date and time of day in the proleptic Gregorian calendar, whole seconds
    /// (days from the epoch by H. Hinnant's civil-from-days algorithm).
    public var utcComponents: (year: Int, month: Int, day: Int, hours: Int, minutes: Int, seconds: Int) {
        // Floor division without overflow for every Int64 (`seconds - 86399` would overflow
        // near Int64.min); the day count is then below 1.1e14, so nothing below overflows.
        let (quotient, remainder) = seconds.quotientAndRemainder(dividingBy: 86400)
        let days = Int(remainder < 0 ? quotient - 1 : quotient)
        let secondOfDay = Int(remainder < 0 ? remainder + 86400 : remainder)
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60)
    }

    /// RFC 3339 in UTC with `Z`, with a fraction only when there is one.
    public var rfc3339: String {
        let (year, month, day, hours, minutes, secondsOfMinute) = utcComponents
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hours, 2)):\(pad(minutes, 2)):\(pad(secondsOfMinute, 2))"
        if nanoseconds != 0 {
            var fraction = pad(Int(nanoseconds), 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }

    public var description: String { rfc3339 }
}

/// A closed interval of time, as the trusted root's `TimeRange` (sigstore_common.proto): both
/// ends inclusive, and an absent end unbounded. `start` is nil only for a trusted-root entry
/// without `validFor`, which the protobuf specs make optional and which means "always".
public struct TimeRange: Sendable, Hashable, CustomStringConvertible {
    public var start: Timestamp?
    public var end: Timestamp?

    public init(start: Timestamp?, end: Timestamp? = nil) {
        self.start = start
        self.end = end
    }

    /// The range of an entry without `validFor`: every time.
    public static let unbounded = TimeRange(start: nil)

    /// Whether `time` lies in `[start, end]`; both ends inclusive, absent ends unbounded.
    public func contains(_ time: Timestamp) -> Bool {
        (start.map { time >= $0 } ?? true) && (end.map { time <= $0 } ?? true)
    }

    public var description: String {
        "[\(start.map(\.description) ?? "unbounded"), \(end.map(\.description) ?? "open")]"
    }
}
