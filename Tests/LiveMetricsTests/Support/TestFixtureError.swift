/// A test could not set up its environment (a server, a socket, a directory); the message says
/// what failed and, when it can, how to fix it.
///
/// A test that throws this fails: a missing fixture is never counted as a pass.
struct TestFixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
