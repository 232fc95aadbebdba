/// Why an authority delayed a case, as recorded with a `delay` event.
///
/// The database's check constraint on `application_events.reason` is the rule; a test proves
/// it accepts exactly these values.
public enum DelayReason: String, CaseIterable, Codable, Sendable {
    case `extension`
    case referral
    case hold
    case backlog
    case other
}
