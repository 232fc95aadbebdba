/// Masks the secrets that URLs carry, for every place lictrack shows a URL or a message that may
/// contain one: channel lists, delivery lists, warnings and errors.
///
/// In each `scheme://...` URL found in a text:
/// - the password of `user:password@` becomes `***` (`user:***@`), and a user without a password
///   (often a token: `https://TOKEN@host/`) becomes `***`;
/// - the value of every query or fragment parameter whose name looks secret (``isSecretName(_:)``:
///   token, key, secret, password, signature, sig, auth, code, ...) becomes `***`.
///
/// A secret in the path (some services put one there) cannot be told from an ordinary path and
/// is shown; a header read from the environment (`--header-from-env`) keeps it out of the URL.
public enum SecretMask {
    /// What a masked value is replaced with.
    public static let mask = "***"

    /// `text` with the secrets of every URL in it masked; the rest unchanged.
    ///
    /// Secret-looking parameters after a `?`, `&`, `;` or `#` are masked even outside a URL (a
    /// URL broken by a space, say), so that nothing after the break escapes.
    public static func masking(_ text: String) -> String {
        maskingParameters(maskingURLs(text))
    }

    /// The URL pass of ``masking(_:)``.
    private static func maskingURLs(_ text: String) -> String {
        guard text.contains("://") else { return text }
        var result = ""
        var rest = Substring(text)
        while let separator = rest.firstRange(of: "://") {
            // The scheme: the letters, digits, '+', '-' and '.' just before "://".
            var schemeStart = separator.lowerBound
            while schemeStart > rest.startIndex {
                let previous = rest.index(before: schemeStart)
                let character = rest[previous]
                guard character.isASCII && (character.isLetter || character.isNumber || "+-.".contains(character))
                else { break }
                schemeStart = previous
            }
            // The URL runs to the first space, quote or angle bracket.
            let end =
                rest[separator.upperBound...].firstIndex { $0.isWhitespace || "\"'<>`".contains($0) }
                ?? rest.endIndex
            result += rest[..<schemeStart]
            result += maskURL(rest[schemeStart..<separator.upperBound], rest[separator.upperBound..<end])
            rest = rest[end...]
        }
        return result + rest
    }

    /// The parameter pass of ``masking(_:)``: `?name=value` (or after `&`, `;`, `#`) with a
    /// secret-looking name gets its value masked, the value running to the next space, quote,
    /// angle bracket or separator.
    private static func maskingParameters(_ text: String) -> String {
        guard text.contains("=") else { return text }
        let separators: Set<Character> = ["?", "&", ";", "#"]
        let valueEnds: Set<Character> = ["&", ";", "#", "\"", "'", "<", ">", "`"]
        var result = ""
        var rest = Substring(text)
        while let start = rest.firstIndex(where: { separators.contains($0) }) {
            result += rest[...start]
            rest = rest[rest.index(after: start)...]
            let name = rest.prefix { !$0.isWhitespace && $0 != "=" && !separators.contains($0) }
            guard !name.isEmpty, rest.dropFirst(name.count).first == "=", isSecretName(String(name)) else { continue }
            let afterEquals = rest.index(rest.startIndex, offsetBy: name.count + 1)
            let valueEnd =
                rest[afterEquals...].firstIndex { $0.isWhitespace || valueEnds.contains($0) } ?? rest.endIndex
            result += name + "=" + mask
            rest = rest[valueEnd...]
        }
        return result + rest
    }

    /// Whether a query parameter's name looks like it holds a secret.
    ///
    /// Ignoring case: a name that contains token, secret, passw, signature, apikey,
    /// accesskey, privatekey, credential, session or auth anywhere (`access_token`,
    /// `X-Amz-Signature`, `client_secret`, `oauth`), or one of whose words (split at anything
    /// but letters and digits) is key, sig, pass, pwd, pw, code, jwt or hmac (`api_key`,
    /// `subscription-key`, Azure's `sig` and `code`).
    public static func isSecretName(_ name: String) -> Bool {
        let lower = name.lowercased()
        let squashed = String(lower.filter { $0.isLetter || $0.isNumber })
        let fragments = [
            "token", "secret", "passw", "signature", "apikey", "accesskey", "privatekey", "credential",
            "session", "auth",
        ]
        if fragments.contains(where: { squashed.contains($0) }) { return true }
        let words = lower.split { !($0.isLetter || $0.isNumber) }
        let secretWords: Set<Substring> = ["key", "sig", "pass", "pwd", "pw", "code", "jwt", "hmac"]
        return words.contains { secretWords.contains($0) }
    }

    /// One URL: `scheme` is `https://`, `rest` what follows it.
    private static func maskURL(_ scheme: Substring, _ rest: Substring) -> String {
        let authorityEnd = rest.firstIndex { "/?#".contains($0) } ?? rest.endIndex
        var authority = String(rest[..<authorityEnd])
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            let host = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                authority = "\(userInfo[..<colon]):\(mask)@\(host)"
            } else {
                authority = "\(mask)@\(host)"
            }
        }
        var tail = rest[authorityEnd...]
        var path = ""
        if let query = tail.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            path = String(tail[..<query])
            tail = tail[query...]
        } else {
            path = String(tail)
            tail = ""
        }
        // The query and the fragment: each parameter's value, if its name looks secret.
        var masked = ""
        var parameter = ""
        func flush() {
            if let equals = parameter.firstIndex(of: "="), isSecretName(String(parameter[..<equals])) {
                masked += parameter[...equals] + mask
            } else {
                masked += parameter
            }
            parameter = ""
        }
        for character in tail {
            if "?#&;".contains(character) {
                flush()
                masked.append(character)
            } else {
                parameter.append(character)
            }
        }
        flush()
        return String(scheme) + authority + path + masked
    }
}
