import Foundation

/// The programs the tests run, which `scripts/install-deps.sh` installs.
enum TestDependency {
    /// `path` when it is an executable file; otherwise an error telling to run the install script,
    /// so that the test fails instead of being skipped.
    ///
    /// - Parameter package: the Debian package that provides `path`, when its name is not obvious.
    static func executable(_ path: String, package: String? = nil) throws(TestFixtureError) -> String {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            let origin = package.map { " (\($0))" } ?? ""
            throw TestFixtureError("\(path)\(origin) is missing: run scripts/install-deps.sh")
        }
        return path
    }
}
