#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A new application as a user describes it, before the database has numbered it.
///
/// This is also the JSON shape `lictrack app create --from-file` reads (snake_case keys).
public struct ApplicationDraft: Codable, Sendable, Equatable {
    public var authority: String
    public var licenceType: LicenceType
    public var applicant: String
    public var exporter: String?
    public var consignee: String?
    public var endUser: String?
    public var endUse: String?
    public var destination: String
    public var authorityReference: String?
    public var owner: String?
    public var createdOn: CivilDate?
    public var items: [ItemDraft]
    /// The day the material the application covers runs out: recorded as a stock event on the creation day.
    public var stockRunsOut: CivilDate?
    /// What that material feeds (with ``stockRunsOut``).
    public var feeds: String?

    public init(
        authority: String, licenceType: LicenceType = .single, applicant: String, exporter: String? = nil,
        consignee: String? = nil, endUser: String? = nil, endUse: String? = nil, destination: String,
        authorityReference: String? = nil, owner: String? = nil, createdOn: CivilDate? = nil,
        items: [ItemDraft] = []
    ) {
        self.authority = authority
        self.licenceType = licenceType
        self.applicant = applicant
        self.exporter = exporter
        self.consignee = consignee
        self.endUser = endUser
        self.endUse = endUse
        self.destination = destination
        self.authorityReference = authorityReference
        self.owner = owner
        self.createdOn = createdOn
        self.items = items
    }

    enum CodingKeys: String, CodingKey {
        case authority, applicant, exporter, consignee, destination, owner, items, feeds
        case licenceType = "licence_type"
        case stockRunsOut = "stock_runs_out"
        case endUser = "end_user"
        case endUse = "end_use"
        case authorityReference = "authority_reference"
        case createdOn = "created_on"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        authority = try c.decode(String.self, forKey: .authority)
        licenceType = try c.decodeIfPresent(LicenceType.self, forKey: .licenceType) ?? .single
        applicant = try c.decode(String.self, forKey: .applicant)
        exporter = try c.decodeIfPresent(String.self, forKey: .exporter)
        consignee = try c.decodeIfPresent(String.self, forKey: .consignee)
        endUser = try c.decodeIfPresent(String.self, forKey: .endUser)
        endUse = try c.decodeIfPresent(String.self, forKey: .endUse)
        destination = try c.decode(String.self, forKey: .destination)
        authorityReference = try c.decodeIfPresent(String.self, forKey: .authorityReference)
        owner = try c.decodeIfPresent(String.self, forKey: .owner)
        createdOn = try c.decodeIfPresent(CivilDate.self, forKey: .createdOn)
        items = try c.decodeIfPresent([ItemDraft].self, forKey: .items) ?? []
        stockRunsOut = try c.decodeIfPresent(CivilDate.self, forKey: .stockRunsOut)
        feeds = try c.decodeIfPresent(String.self, forKey: .feeds)
    }
}

/// One line of goods on an application.
public struct ItemDraft: Codable, Sendable, Equatable {
    public var description: String
    public var controlCode: String?
    public var hsCode: String?
    public var quantity: ExactAmount?
    public var unit: String?
    public var value: ExactAmount?
    public var currency: String?

    public init(
        description: String, controlCode: String? = nil, hsCode: String? = nil, quantity: ExactAmount? = nil,
        unit: String? = nil, value: ExactAmount? = nil, currency: String? = nil
    ) {
        self.description = description
        self.controlCode = controlCode
        self.hsCode = hsCode
        self.quantity = quantity
        self.unit = unit
        self.value = value
        self.currency = currency
    }

    enum CodingKeys: String, CodingKey {
        case description, quantity, unit, value, currency
        case controlCode = "control_code"
        case hsCode = "hs_code"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        description = try c.decode(String.self, forKey: .description)
        controlCode = try c.decodeIfPresent(String.self, forKey: .controlCode)
        hsCode = try c.decodeIfPresent(String.self, forKey: .hsCode)
        quantity = try c.decodeIfPresent(ExactAmount.self, forKey: .quantity)
        unit = try c.decodeIfPresent(String.self, forKey: .unit)
        value = try c.decodeIfPresent(ExactAmount.self, forKey: .value)
        currency = try c.decodeIfPresent(String.self, forKey: .currency)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(description, forKey: .description)
        try c.encodeIfPresent(controlCode, forKey: .controlCode)
        try c.encodeIfPresent(hsCode, forKey: .hsCode)
        try c.encodeIfPresent(quantity, forKey: .quantity)
        try c.encodeIfPresent(unit, forKey: .unit)
        try c.encodeIfPresent(value, forKey: .value)
        try c.encodeIfPresent(currency, forKey: .currency)
    }
}
