import Synchronization

extension FastTextModel {
    private static let loaded = Mutex<[String: FastTextModel]>([:])

    /// The model at `path`, loaded once per process: a pipeline's check and its build (and two filters
    /// naming one file) share it; lid.176 is 126 MB and DCLM's classifier several GB.
    public static func shared(path: String) throws -> FastTextModel {
        if let model = loaded.withLock({ $0[path] }) { return model }
        let model = try FastTextModel(path: path)
        return loaded.withLock { models in
            if let earlier = models[path] { return earlier }
            models[path] = model
            return model
        }
    }
}
