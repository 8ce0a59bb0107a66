/// A file's schema tree (flattened depth first, each group giving its number of children) turned
/// into its top-level columns, with the index of each one's first leaf among the column chunks.
enum ParquetSchema {
    /// The top-level columns and the number of leaves (column chunks per row group), or a message
    /// saying why the tree is malformed.
    static func columns(of schema: [SchemaElement]) -> Result<(columns: [ParquetColumnDescriptor], leaves: Int), SchemaFailure> {
        guard let root = schema.first else { return .failure(SchemaFailure("the schema is empty")) }
        guard let rootChildren = root.numChildren, rootChildren >= 0 else {
            return .failure(SchemaFailure("the schema's root \"\(root.name)\" is not a group"))
        }
        var columns: [ParquetColumnDescriptor] = []
        var index = 1
        var leaves = 0
        for _ in 0..<rootChildren {
            guard index < schema.count else {
                return .failure(SchemaFailure("the schema's root has \(rootChildren) children, the schema ends first"))
            }
            let element = schema[index]
            if element.isGroup {
                // Walk the group's subtree without recursion: a stack of children left per level.
                let firstLeaf = leaves
                var firstLeafType: ParquetPhysicalType?
                var pending = [Int(element.numChildren ?? 0)]
                guard pending[0] >= 0 else { return .failure(SchemaFailure("group \"\(element.name)\" has a negative child count")) }
                index += 1
                while let top = pending.last {
                    if top == 0 {
                        pending.removeLast()
                        continue
                    }
                    pending[pending.count - 1] = top - 1
                    guard index < schema.count else {
                        return .failure(SchemaFailure("group \"\(element.name)\" has more children than the schema holds"))
                    }
                    let child = schema[index]
                    index += 1
                    if child.isGroup {
                        guard let count = child.numChildren, count >= 0 else {
                            return .failure(SchemaFailure("group \"\(child.name)\" has no valid child count"))
                        }
                        pending.append(Int(count))
                    } else {
                        guard let type = child.type.flatMap(ParquetPhysicalType.init(rawValue:)) else {
                            return .failure(SchemaFailure("column \"\(child.name)\" has unknown physical type \(child.type ?? -1)"))
                        }
                        if firstLeafType == nil { firstLeafType = type }
                        leaves += 1
                    }
                }
                columns.append(ParquetColumnDescriptor(
                    group: element, firstLeafType: firstLeafType ?? .byteArray, leafIndex: firstLeaf, leafCount: leaves - firstLeaf))
            } else {
                guard let type = element.type.flatMap(ParquetPhysicalType.init(rawValue:)) else {
                    return .failure(SchemaFailure("column \"\(element.name)\" has unknown physical type \(element.type ?? -1)"))
                }
                if type == .fixedLenByteArray, (element.typeLength ?? 0) <= 0 {
                    return .failure(SchemaFailure("FIXED_LEN_BYTE_ARRAY column \"\(element.name)\" has no valid length"))
                }
                columns.append(ParquetColumnDescriptor(leaf: element, physicalType: type, leafIndex: leaves))
                leaves += 1
                index += 1
            }
        }
        guard index == schema.count else {
            return .failure(SchemaFailure("the schema has \(schema.count - index) elements outside its root's children"))
        }
        return .success((columns, leaves))
    }

    struct SchemaFailure: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }
}
