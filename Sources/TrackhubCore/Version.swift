public enum TrackhubCoreVersion { public static let string = "0.1.0" }
