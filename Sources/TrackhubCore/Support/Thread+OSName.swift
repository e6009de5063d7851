import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Thread {
    /// Names the calling OS thread (what `top -H`, gdb and crash reports show). Foundation's
    /// `Thread.name` set before `start()` never reaches the OS thread on Linux: a new thread
    /// inherits its creator's name instead. Linux keeps 15 bytes.
    static func nameCurrentOSThread(_ name: String) {
        #if os(Linux)
        // `pthread_setname_np` is hidden behind _GNU_SOURCE in Glibc's module map; writing the
        // thread's `comm` file is what it does.
        let fd = open("/proc/thread-self/comm", O_WRONLY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        #elseif canImport(Darwin)
        _ = pthread_setname_np(name)
        #endif
    }
}
