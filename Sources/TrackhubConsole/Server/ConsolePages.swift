/// Every page of the console, in registration order. A new page is one file under `Pages/`
/// and one line here.
public enum ConsolePages {
    public static let all: [any ConsolePage.Type] = [
        StaticFilesRoute.self,
        HealthRoute.self,
        LoginPage.self,
        FirstOwnerPage.self,
        LanguageRoute.self,
        HomePage.self,
        SetupPage.self,
        VersionsPage.self,
        LedgerPage.self,
        FailureQueuePage.self,
        IgnoredWebhooksPage.self,
        LivePage.self,
        HelpPage.self,
        SupportCasesPage.self,
        NumbersPage.self,
        SalesPage.self,
        AlertsPage.self,
        PrivacyPage.self,
        AnalyticsAPI.self,
    ]
}
