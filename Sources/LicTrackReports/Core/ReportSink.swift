/// Where a renderer's text goes: standard output, a file being written, or a string in a test.
///
/// A reference type: the renderer writes into it, and its owner reads or commits it afterwards.
public protocol ReportSink: AnyObject {
    /// Appends `text`; throws when it cannot be written.
    func write(_ text: String) throws
}

/// A sink that keeps everything in memory.
public final class StringSink: ReportSink {
    public private(set) var text = ""

    public init() {}

    public func write(_ text: String) {
        self.text += text
    }
}
