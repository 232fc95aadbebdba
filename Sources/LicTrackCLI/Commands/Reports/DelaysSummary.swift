import LicTrackReports
import LicTrackStore

/// The summary of `report delays`: open applications counted per authority and clock state.
///
/// Counted as the rows stream past, so it costs no second query and no memory per application.
/// The states are those of ``SLAClock/State``, which mirrors `clock_state()` (a test proves they agree).
struct DelaysSummary {
    /// The counts of one authority (or of all of them).
    struct Counts {
        var open = 0
        var supplyRisk = 0
        var states: [SLAClock.State: Int] = [:]

        mutating func add(_ row: DelayRow) {
            open += 1
            if row.supply?.atRisk == true { supplyRisk += 1 }
            states[row.clock.state, default: 0] += 1
        }

        /// `{"open", "supply_risk", "states": {state: count, ...}}`, every state present.
        var json: JSONValue {
            .object([
                ("open", .int(Int64(open))),
                ("supply_risk", .int(Int64(supplyRisk))),
                ("states", .object(SLAClock.State.allCases.map { ($0.rawValue, .int(Int64(states[$0] ?? 0))) })),
            ])
        }

        /// The cells after the authority's: open, then each state, then supply risk.
        var cells: [ReportCell] {
            [.integer(open)]
                + SLAClock.State.allCases.map { state in
                    let count = states[state] ?? 0
                    return .integer(count, tone: count > 0 ? DelaysLayout.tone(state) : .normal)
                } + [.integer(supplyRisk, tone: supplyRisk > 0 ? .critical : .normal)]
        }
    }

    private(set) var total = Counts()
    private(set) var authorities: [String: Counts] = [:]

    mutating func add(_ row: DelayRow) {
        total.add(row)
        authorities[row.authority, default: Counts()].add(row)
    }

    /// The JSON `"summary"`: the totals, then one object per authority in code order.
    var json: JSONValue {
        guard case .object(let totals) = total.json else { preconditionFailure("Counts.json is an object") }
        return .object(
            totals + [
                (
                    "authorities",
                    .array(
                        authorities.keys.sorted().map { code in
                            guard case .object(let members) = authorities[code]!.json else {
                                preconditionFailure("Counts.json is an object")
                            }
                            return .object([("authority", .string(code))] + members)
                        })
                )
            ])
    }

    /// The summary section's columns: authority, open, one per state, supply risk.
    static let columns: [ReportColumn] =
        [ReportColumn("authority", "Authority"), ReportColumn("open", "Open", kind: .integer)]
        + SLAClock.State.allCases.map { state in
            ReportColumn(state.rawValue, state.rawValue.replacing("_", with: " ").capitalizedFirst, kind: .integer)
        } + [ReportColumn("supply_risk", "Supply risk", kind: .integer)]

    /// One row per authority in code order, then a total row when there are several.
    var rows: [[ReportCell]] {
        var rows = authorities.keys.sorted().map { code in [ReportCell.text(code)] + authorities[code]!.cells }
        if authorities.count > 1 { rows.append([.text("All")] + total.cells) }
        return rows
    }
}

extension String {
    /// The string with its first character upper case (`On track`).
    fileprivate var capitalizedFirst: String {
        prefix(1).uppercased() + dropFirst()
    }
}
