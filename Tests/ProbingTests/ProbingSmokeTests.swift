import Testing
import WatchCore
@testable import Probing
