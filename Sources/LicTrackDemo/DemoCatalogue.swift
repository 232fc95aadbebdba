/// The names, items and destinations the demo draws from: realistic, and plainly fictitious.
enum DemoCatalogue {
    /// An item with its control and HS codes, quantity unit and a plausible value per unit (USD).
    struct Item {
        var description: String
        var controlCode: String
        var hsCode: String
        var unit: String
        var quantities: ClosedRange<Int>
        var unitValue: Int
    }

    /// Chinese exporters of rare earths and magnets (MOFCOM applications).
    static let chineseApplicants = [
        "Ningbo Eastbay Magnetics Co., Ltd.", "Baotou Northern Lights Rare Earth Co., Ltd.",
        "Ganzhou Riverbend Metals Co., Ltd.", "Xiamen Harbour Permanent Magnet Co., Ltd.",
        "Chengdu Westgate Alloys Co., Ltd.",
    ]
    static let rareEarthItems = [
        Item(
            description: "Sintered NdFeB magnets (Dy 3.8 wt%)", controlCode: "1C902.a", hsCode: "8505111000",
            unit: "kg", quantities: 200...2_000, unitValue: 130),
        Item(
            description: "Dysprosium oxide, 99.5%", controlCode: "1C902.b", hsCode: "2846901920", unit: "kg",
            quantities: 20...500, unitValue: 260),
        Item(
            description: "Terbium metal, 99.9%", controlCode: "1C902.a", hsCode: "2805301910", unit: "kg",
            quantities: 5...120, unitValue: 1_100),
        Item(
            description: "Samarium-cobalt magnets", controlCode: "1C902.c", hsCode: "8505119000", unit: "kg",
            quantities: 50...600, unitValue: 210),
    ]
    static let chineseDestinations = ["DE", "US", "JP", "KR", "FR", "IT", "MX", "VN", "IN", "PL"]
    static let endUsers = [
        "Rheinmotor Antriebstechnik GmbH", "Great Lakes Servo Inc.", "Kansai Precision Motors K.K.",
        "Hanbit Drive Systems Co., Ltd.", "Lyon Eolien SAS", "Torino Attuatori S.p.A.",
    ]
    static let endUses = [
        "Traction motors for electric cars", "Wind turbine generators", "Industrial servo motors",
        "Hard disk drive voice-coil motors", "Robot joint actuators",
    ]

    /// Western applicants and items (BIS, ECJU, BAFA).
    static let usApplicants = ["Cascade Photonics Inc.", "Great Lakes Servo Inc.", "Redwood Secure Systems LLC"]
    static let ukApplicants = ["Northbridge Secure Networks Ltd", "Severn Thermal Imaging plc", "Pennine Sensors Ltd"]
    static let deApplicants = [
        "Rheinmotor Antriebstechnik GmbH", "Müller & Söhne Präzisionsoptik KG", "Elbe Werkzeugmaschinen AG",
    ]
    static let westernItems = [
        Item(
            description: "Network encryption appliance", controlCode: "5A002.a", hsCode: "8517620000", unit: "pcs",
            quantities: 5...200, unitValue: 9_000),
        Item(
            description: "Thermal imaging camera core", controlCode: "6A003.b", hsCode: "9025198000", unit: "pcs",
            quantities: 10...400, unitValue: 4_500),
        Item(
            description: "Five-axis machining centre", controlCode: "2B001.b", hsCode: "8457100000", unit: "pcs",
            quantities: 1...4, unitValue: 650_000),
        Item(
            description: "Radiation-hardened FPGA", controlCode: "3A001.a", hsCode: "8542319000", unit: "pcs",
            quantities: 20...1_000, unitValue: 2_300),
    ]
    static let westernDestinations = ["CN", "SG", "AE", "IN", "TR", "BR", "KR", "SA", "ZA", "TW"]

    static let owners = ["Chen Jing", "Priya Natarajan", "Jonas Weber", "Maria Lopez", "Tom Okafor"]
    static let feeds = [
        "Traction motor line 2", "Servo assembly, Plant Kaiserslautern", "Generator nacelles, Plant Esbjerg",
        "Actuator line, Plant Puebla", "Spare-parts pool",
    ]
}
