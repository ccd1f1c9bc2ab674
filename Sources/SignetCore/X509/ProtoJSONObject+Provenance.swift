extension ProtoJSONObject {
    /// The member `name` read as provenance: an object of Fulcio field names
    /// (`sourceRepositoryURI`, …) to string values, any other member refused; empty when absent.
    public mutating func provenance(_ name: String) throws(FormatError) -> [FulcioExtension: String] {
        var found: [FulcioExtension: String] = [:]
        guard var values = try message(name) else { return found }
        for field in FulcioExtension.allCases {
            if let value = try values.string(field.fieldName) { found[field] = value }
        }
        try values.finish()
        return found
    }
}
