import Testing
@testable import TrackhubCore

@Suite struct IPAddressTests {
    @Test(arguments: [
        ("203.0.113.7", "203.0.113.7"), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"),
        ("::", "::"), ("::1", "::1"), ("2001:DB8::1", "2001:db8::1"),
        ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"), // first of two equal runs
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"), // a single zero group is not compressed
        ("fe80::", "fe80::"), ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
        ("::ffff:192.0.2.1", "192.0.2.1"), ("::FFFF:c000:0201", "192.0.2.1"), // IPv4-mapped → IPv4
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
    ])
    func parsesAndCanonicalises(_ input: String, _ canonical: String) throws {
        let ip = try #require(IPAddress(input))
        #expect(ip.description == canonical)
        #expect(IPAddress(canonical) == ip)
    }

    @Test(arguments: [
        "", " ", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.04", "1..2.3", "1.2.3.4.", ".1.2.3",
        "1.2.3.-4", "0x1.2.3.4", "1.2.3.4/8", "example.com", "unknown",
        ":", ":::", "1:::2", "1::2::3", ":1::2", "1::2:", "12345::1", "g::1", "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::", "::1.2.3", "::1.2.3.256", "1.2.3.4::", "fe80::1%eth0", "[::1]",
    ])
    func rejectsGarbage(_ input: String) {
        #expect(IPAddress(input) == nil)
    }

    @Test func hostPortForms() {
        #expect(IPAddress(hostPort: "203.0.113.7:51234")?.description == "203.0.113.7")
        #expect(IPAddress(hostPort: " [2001:db8::1]:443 ")?.description == "2001:db8::1")
        #expect(IPAddress(hostPort: "[2001:db8::1]")?.description == "2001:db8::1")
        #expect(IPAddress(hostPort: "2001:db8::1")?.description == "2001:db8::1")
        #expect(IPAddress(hostPort: "203.0.113.7:99999") == nil)
        #expect(IPAddress(hostPort: "203.0.113.7:") == nil)
        #expect(IPAddress(hostPort: "[203.0.113.7]") == nil)
        #expect(IPAddress(hostPort: "[2001:db8::1]x") == nil)
    }
}

@Suite struct CIDRBlockTests {
    @Test func ipv4Blocks() throws {
        let block = try #require(CIDRBlock("10.0.0.0/8"))
        #expect(block.contains(IPAddress("10.255.1.2")!))
        #expect(!block.contains(IPAddress("11.0.0.1")!))
        #expect(block.contains(IPAddress("::ffff:10.1.2.3")!))
        #expect(!block.contains(IPAddress("::1")!))
        #expect(block.description == "10.0.0.0/8")
        let slash20 = try #require(CIDRBlock("172.16.0.0/12"))
        #expect(slash20.contains(IPAddress("172.31.255.255")!))
        #expect(!slash20.contains(IPAddress("172.32.0.0")!))
    }

    @Test func ipv6Blocks() throws {
        let loopback = try #require(CIDRBlock("::1/128"))
        #expect(loopback.contains(IPAddress("::1")!))
        #expect(!loopback.contains(IPAddress("::2")!))
        let ula = try #require(CIDRBlock("fd00::/8"))
        #expect(ula.contains(IPAddress("fd12:3456::1")!))
        #expect(!ula.contains(IPAddress("fe80::1")!))
        #expect(!ula.contains(IPAddress("10.0.0.1")!))
    }

    @Test func plainAddressesAreSingleAddressBlocks() throws {
        let v4 = try #require(CIDRBlock(" 192.0.2.10 "))
        #expect(v4.prefixLength == 32)
        #expect(v4.contains(IPAddress("192.0.2.10")!))
        #expect(!v4.contains(IPAddress("192.0.2.11")!))
        #expect(try #require(CIDRBlock("2001:db8::1")).prefixLength == 128)
    }

    @Test func zeroPrefixes() throws {
        let allV4 = try #require(CIDRBlock("0.0.0.0/0"))
        #expect(allV4.contains(IPAddress("203.0.113.1")!))
        #expect(!allV4.contains(IPAddress("2001:db8::1")!))
        let all = try #require(CIDRBlock("::/0"))
        #expect(all.contains(IPAddress("2001:db8::1")!))
        #expect(all.contains(IPAddress("203.0.113.1")!))
    }

    @Test(arguments: [
        "10.0.0.1/8", // host bits set: refused, not widened
        "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/8/8", "/8", "10.0.0.0/a",
        "fd00::1/8", "garbage", "", "10.0.0.0/0008",
    ])
    func rejectsInvalidBlocks(_ text: String) {
        #expect(CIDRBlock(text) == nil)
    }
}
