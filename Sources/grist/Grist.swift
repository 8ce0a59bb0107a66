@main struct Grist { static func main() {} }
