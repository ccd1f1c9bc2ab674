import ArgumentParser

/// Durations given on the command line: N followed by s, m, h or d (`90d`), at most 100,000
/// units, as `--expires` and `--max-snapshot-age` take them.
enum DurationOption {
    /// The duration's seconds, or a usage error naming `option`.
    static func seconds(_ text: String, option: String) throws -> Int64 {
        guard let unit = text.last, let count = Int64(text.dropLast()), count > 0, count <= 100_000 else {
            throw ValidationError("expected \(option) as N followed by s, m, h or d (90d), found \"\(text.prefix(40))\"")
        }
        switch unit {
        case "s": return count
        case "m": return count * 60
        case "h": return count * 3600
        case "d": return count * 86400
        default: throw ValidationError("expected \(option) as N followed by s, m, h or d (90d), found \"\(text.prefix(40))\"")
        }
    }
}
