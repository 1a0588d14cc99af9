import FoundationEssentials

/// Parses the `Retry-After` header: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
public enum RetryAfter {
    /// The delay the server asks for, measured from `now`; nil when absent or unparseable.
    /// A date in the past means "now" (zero).
    public static func parse(_ value: String?, now: Date = Date()) -> Duration? {
        guard let raw = value?.trimmingWhitespace(), !raw.isEmpty else { return nil }
        if raw.allSatisfy(\.isASCII), raw.allSatisfy(\.isNumber) {
            guard let seconds = Int64(raw) else { return nil }  // absurdly large: ignore
            return .seconds(seconds)
        }
        guard let date = parseHTTPDate(raw) else { return nil }
        let seconds = max(0, date.timeIntervalSince(now))
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the only form servers may send;
    /// the obsolete RFC 850 and asctime forms are accepted too, as RFC 9110 asks of recipients.
    static func parseHTTPDate(_ text: String) -> Date? {
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        var tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" }).map(String.init)
        guard tokens.count >= 4 else { return nil }
        tokens.removeFirst()  // weekday
        let day: Int, monthName: String, yearText: String, time: String
        if let first = Int(tokens[0]), tokens.count >= 4 {
            // IMF-fixdate "06 Nov 1994 08:49:37 GMT" or RFC 850 "06-Nov-94 08:49:37 GMT"
            (day, monthName, yearText, time) = (first, tokens[1], tokens[2], tokens[3])
        } else if tokens.count >= 4, let parsedDay = Int(tokens[1]) {
            // asctime "Nov  6 08:49:37 1994"
            (day, monthName, time, yearText) = (parsedDay, tokens[0], tokens[2], tokens[3])
        } else {
            return nil
        }
        guard let monthIndex = months.firstIndex(of: monthName.lowercased()), var year = Int(yearText) else { return nil }
        if yearText.count == 2 { year += year < 70 ? 2000 : 1900 }
        // Four digits at most: a 16-digit year overflowed the day arithmetic and trapped (found by
        // the retry-after fuzz target).
        guard (0...9999).contains(year) else { return nil }
        let clock = time.split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3, (1...31).contains(day), (0...23).contains(clock[0]),
            (0...59).contains(clock[1]), (0...60).contains(clock[2])
        else { return nil }
        let days = daysFromCivil(year: year, month: monthIndex + 1, day: day)
        let seconds = days * 86_400 + clock[0] * 3600 + clock[1] * 60 + clock[2]
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    // Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm);
    // avoids Calendar, which would pull in the ICU-backed part of Foundation.
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
