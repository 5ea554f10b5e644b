using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LoanRecovery.Ingestion;
using LoanRecovery.PerformanceTracking;
using LoanRecovery.RiskScoring;
using LoanRecovery.ServiceDefaults.Security;
using LoanRecovery.Segmentation;
using LoanRecovery.Simulator;
using LoanRecovery.Simulator.Domain;
using LoanRecovery.Simulator.Transport;
using LoanRecovery.StrategyAssignment;
using LoanRecovery.Testing;
using Microsoft.Playwright;

namespace LoanRecovery.Dashboard.Tests;

/// <summary>
/// The five services in-process on a throw-away database and virtual host, with a small simulated portfolio: the lender's
/// history (simulated, with outcomes) imported as CSV, from which RiskScoring cold-starts its model and Segmentation fits its
/// segments; then a few simulated months of live loans whose delinquent payments are scored and given strategies and tasks.
/// No collection floor works the tasks, so they stay open for the officer in the tests. Episodes close after a few seconds so
/// the executive figures have outcomes. The dashboard runs on Kestrel with configured users of every role (random passwords,
/// hashed as in production) and Chromium opens it; tests sign in through the sign-in page.
/// </summary>
public sealed class DashboardSystem : IAsyncLifetime
{
    private const int HistoryLoans = 400;
    private const int LiveLoans = 60;
    private const int LiveMonths = 3;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);
    /// <summary>Failed sign-ins that lock a username here (fewer than the default, to keep the lock-out test short).</summary>
    public const int MaxFailedAttempts = 3;

    /// <summary>The dashboard's users: officers for the work queue tests, one analyst, one executive, one to be locked out.</summary>
    public IReadOnlyList<TestUser> Users { get; } =
    [
        new("officer.ada", "Ada Okafor", DashboardRole.Officer, NewPassword()),
        new("officer.bo", "Bo Lindqvist", DashboardRole.Officer, NewPassword()),
        new("officer.cy", "Cy Moreau", DashboardRole.Officer, NewPassword()),
        new("analyst.di", "Di Romero", DashboardRole.Analyst, NewPassword()),
        new("exec.eve", "Eve Adeyemi", DashboardRole.Executive, NewPassword()),
        new("officer.locked", "Lock Tester", DashboardRole.Officer, NewPassword()),
    ];

    private ThrowawayDatabase _database = null!;
    private ThrowawayVirtualHost _vhost = null!;
    private ServiceHost<IngestionOptions> _ingestion = null!;
    private ServiceHost<SegmentationOptions> _segmentation = null!;
    private ServiceHost<RiskScoringOptions> _risk = null!;
    private ServiceHost<StrategyAssignmentOptions> _strategy = null!;
    private ServiceHost<PerformanceTrackingOptions> _performance = null!;
    private DashboardHost _dashboard = null!;
    private IPlaywright _playwright = null!;

    public IBrowser Browser { get; private set; } = null!;
    public Uri DashboardUrl { get; private set; } = null!;
    public HttpClient StrategyApi { get; private set; } = null!;
    public HttpClient RiskApi { get; private set; } = null!;
    /// <summary>Every request the dashboard sent a service, with the bearer token it carried.</summary>
    public IReadOnlyCollection<SentRequest> SentRequests => _dashboard.SentRequests;
    public string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask InitializeAsync()
    {
        _database = await ThrowawayDatabase.CreateAsync();
        _vhost = await ThrowawayVirtualHost.CreateAsync();
        _ingestion = new ServiceHost<IngestionOptions>(_database, _vhost, "ingestion");
        _segmentation = new ServiceHost<SegmentationOptions>(_database, _vhost, "segmentation", new Dictionary<string, string?>
        {
            ["Segmentation:QuietPeriod"] = "00:00:01",
        });
        _risk = new ServiceHost<RiskScoringOptions>(_database, _vhost, "risk", new Dictionary<string, string?>
        {
            ["RiskScoring:MinimumTrainingRows"] = "40",
            ["RiskScoring:ColdStartQuietPeriod"] = "00:00:01",
            ["RiskScoring:TrainerPollInterval"] = "00:00:00.500",
            ["RiskScoring:BootstrapResamples"] = "100",
        });
        _strategy = new ServiceHost<StrategyAssignmentOptions>(_database, _vhost, "strategy");
        _performance = new ServiceHost<PerformanceTrackingOptions>(_database, _vhost, "performance", new Dictionary<string, string?>
        {
            ["PerformanceTracking:ObservationWindow"] = "00:00:05",
            ["PerformanceTracking:CloseCheckInterval"] = "00:00:00.500",
        });
        var ingestion = _ingestion.Start();
        _segmentation.Start();
        var risk = RiskApi = _risk.Start();
        StrategyApi = _strategy.Start();
        var performance = _performance.Start();

        var config = SimulatorCli.LoadConfig(Path.Combine(TestEnvironment.RepositoryRoot, "services", "Simulator", SimulatorCli.DefaultConfigFile));
        await ImportHistoryAsync(ingestion, config);
        await EventuallyAsync("RiskScoring's first model", async () =>
            (await risk.GetFromJsonAsync<JsonElement>("/api/models")).EnumerateArray().Any(m => m.GetProperty("isChampion").GetBoolean()));

        var options = new LiveRunOptions(LiveLoans, LiveMonths, Seed: 11, IdPrefix: "DASH", ingestion.BaseAddress!, StrategyUrl: null,
            new RabbitSettings("127.0.0.1", TestEnvironment.RabbitPort, _vhost.Name, TestEnvironment.RabbitUser, TestEnvironment.RabbitPassword),
            SettleTime: TimeSpan.FromSeconds(1), MonthTimeout: Wait);
        var result = await new LiveRun(config, options, progress: null, ingestion, null).RunAsync(CancellationToken.None);
        if (result.PaymentsRecorded != result.PaymentsPublished)
            throw new InvalidOperationException($"{result.PaymentsPublished - result.PaymentsRecorded} simulated payments were not recorded");

        await EventuallyAsync("open tasks in the work queue", async () =>
            (await StrategyApi.GetFromJsonAsync<JsonElement>("/api/tasks?status=Open&pageSize=1")).GetProperty("total").GetInt32() >= 3);
        // No strategy is assigned after the last month, so every episode closes within the observation window.
        await EventuallyAsync("closed recovery episodes", async () =>
            (await performance.GetFromJsonAsync<JsonElement>("/api/performance/recovery?by=strategy")).GetProperty("episodes").GetInt32() > 0 &&
            (await performance.GetFromJsonAsync<JsonElement>("/api/performance/episodes?open=true&limit=1")).GetArrayLength() == 0);
        await EventuallyAsync("borrower segments", async () =>
            (await risk.GetFromJsonAsync<JsonElement>("/api/portfolio/analytics")).GetProperty("segments").GetArrayLength() > 0);

        _dashboard = new DashboardHost(DashboardHost.Handlers(() => _ingestion.Server.CreateHandler(), () => _segmentation.Server.CreateHandler(),
            () => _risk.Server.CreateHandler(), () => _strategy.Server.CreateHandler(), () => _performance.Server.CreateHandler()), DashboardSettings());
        DashboardUrl = _dashboard.Start();

        Directory.CreateDirectory(ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("LR_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>The lender's simulated history in the seed file's schema, with ids of its own so they cannot meet the live loans'.</summary>
    private static async Task ImportHistoryAsync(HttpClient ingestion, SimulationConfig config)
    {
        var loans = PortfolioGenerator.Generate(config, HistoryLoans, seed: 5)
            .Select(l => l with { LoanId = "HIST_" + l.LoanId, BorrowerId = "HIST_" + l.BorrowerId }).ToList();
        var csv = PortfolioCsv.Write(PortfolioCsv.History(config, loans, seed: 5));
        var response = await ingestion.PostAsync("/api/imports", new StringContent(csv, Encoding.UTF8, "text/csv"));
        response.EnsureSuccessStatusCode();
        var summary = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (summary.GetProperty("accepted").GetInt32() != HistoryLoans)
            throw new InvalidOperationException($"The history import accepted only part of the file: {summary}");
    }

    /// <summary>The users as configuration: each password only as its hash, as a deployment configures them.</summary>
    private Dictionary<string, string?> DashboardSettings()
    {
        var settings = new Dictionary<string, string?> { ["Dashboard:SignIn:MaxFailedAttempts"] = MaxFailedAttempts.ToString() };
        for (var i = 0; i < Users.Count; i++)
        {
            settings[$"Dashboard:Users:{i}:Username"] = Users[i].Username;
            settings[$"Dashboard:Users:{i}:DisplayName"] = Users[i].DisplayName;
            settings[$"Dashboard:Users:{i}:Role"] = Users[i].Role.ToString();
            settings[$"Dashboard:Users:{i}:PasswordHash"] = PasswordHashes.Hash(Users[i].Password);
        }
        return settings;
    }

    private static string NewPassword() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(15));

    public TestUser User(string username) => Users.Single(u => u.Username == username);

    /// <summary>A fresh browser context (no cookie) and page, nobody signed in.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = DashboardUrl.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        return await context.NewPageAsync();
    }

    /// <summary>A fresh page whose user signed in through the sign-in page, which then led to <paramref name="path"/>.</summary>
    public async Task<IPage> SignedInPageAsync(string username, string path = "/")
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/signin?ReturnUrl=" + Uri.EscapeDataString(path));
        await SignInAsync(page, username, User(username).Password);
        await Assertions.Expect(page.Locator("#signed-in-as")).ToContainTextAsync($"({username},");
        return page;
    }

    /// <summary>Fills and sends the sign-in form the page shows.</summary>
    public static async Task SignInAsync(IPage page, string username, string password)
    {
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    public Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    private static async Task EventuallyAsync(string what, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No {what} within {Wait.TotalSeconds:0} s");
            await Task.Delay(500);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_dashboard is not null) await _dashboard.DisposeAsync();
        await _performance.DisposeAsync();
        await _strategy.DisposeAsync();
        await _risk.DisposeAsync();
        await _segmentation.DisposeAsync();
        await _ingestion.DisposeAsync();
        await _vhost.DisposeAsync();
        await _database.DisposeAsync();
    }
}

/// <summary>A configured dashboard user and the password only the test knows.</summary>
public sealed record TestUser(string Username, string DisplayName, DashboardRole Role, string Password);
