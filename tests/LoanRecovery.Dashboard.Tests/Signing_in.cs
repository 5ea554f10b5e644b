using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LoanRecovery.Dashboard.Pages;
using LoanRecovery.Dashboard.SignIn;
using Microsoft.Playwright;

namespace LoanRecovery.Dashboard.Tests;

/// <summary>Signing in and out through the page, what needs a session, and what each role may do, checked on the server.</summary>
[Collection(DashboardCollection.Name)]
public sealed class Signing_in(DashboardSystem system)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/queue?Status=Open")]
    [InlineData("/loans/DASH_LN_1")]
    [InlineData("/whatif")]
    [InlineData("/analytics")]
    [InlineData("/executive")]
    [InlineData("/models")]
    [InlineData("/signout")]
    [InlineData("/denied")]
    public async Task An_anonymous_request_for_any_page_is_sent_to_sign_in(string path)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = system.DashboardUrl };

        var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin", response.Headers.Location!.AbsolutePath);
        Assert.Equal(path, System.Web.HttpUtility.ParseQueryString(response.Headers.Location.Query)["ReturnUrl"]);
        Assert.DoesNotContain(system.SentRequests, r => r.Token is null);
    }

    [Fact]
    public async Task The_sign_in_page_and_the_static_assets_need_no_session()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = system.DashboardUrl };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/signin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/css/site.css")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/lib/echarts/echarts.min.js")).StatusCode);
    }

    [Fact]
    public async Task Signing_in_returns_to_the_page_asked_for_with_an_http_only_strict_cookie()
    {
        var page = await system.NewPageAsync();
        await page.GotoAsync("/models");
        Assert.EndsWith("/signin?ReturnUrl=%2Fmodels", page.Url);
        await system.ScreenshotAsync(page, "sign-in");

        await DashboardSystem.SignInAsync(page, "analyst.di", system.User("analyst.di").Password);

        await Assertions.Expect(page).ToHaveURLAsync(new Uri(system.DashboardUrl, "/models").ToString());
        await Assertions.Expect(page.Locator("#signed-in-as")).ToContainTextAsync("Di Romero (analyst.di, Analyst)");
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == SignInServiceExtensions.CookieName);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal(-1, cookie.Expires); // a session cookie: the session's own lifetime is kept on the server
    }

    [Theory]
    [InlineData("officer.ada", "wrong password")]
    [InlineData("nobody.here", "any password")]
    public async Task A_wrong_password_or_unknown_username_shows_one_error_and_opens_no_session(string username, string password)
    {
        var page = await system.NewPageAsync();
        await page.GotoAsync("/signin");

        await DashboardSystem.SignInAsync(page, username, password);

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(SignInModel.WrongCredentials);
        Assert.Equal("/signin", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.GetByLabel("Password")).ToHaveValueAsync("");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == SignInServiceExtensions.CookieName);
        await system.ScreenshotAsync(page, "sign-in-refused");
        await page.GotoAsync("/queue");
        Assert.Equal("/signin", new Uri(page.Url).AbsolutePath);
    }

    [Fact]
    public async Task Repeated_failures_lock_the_username_even_against_the_right_password()
    {
        var user = system.User("officer.locked");
        var page = await system.NewPageAsync();
        await page.GotoAsync("/signin");
        for (var attempt = 1; attempt < DashboardSystem.MaxFailedAttempts; attempt++)
        {
            await DashboardSystem.SignInAsync(page, user.Username, $"guess-{attempt}");
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(SignInModel.WrongCredentials);
        }

        await DashboardSystem.SignInAsync(page, user.Username, "last-guess");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Too many failed sign-ins for this username");
        await DashboardSystem.SignInAsync(page, user.Username, user.Password);

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Too many failed sign-ins for this username. Try again in");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == SignInServiceExtensions.CookieName);
        await system.ScreenshotAsync(page, "sign-in-locked");
    }

    [Fact]
    public async Task Signing_out_ends_the_session_even_for_a_copy_of_the_cookie()
    {
        var page = await system.SignedInPageAsync("officer.bo", "/queue");
        var copy = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == SignInServiceExtensions.CookieName);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("You have signed out.");
        await page.GotoAsync("/queue");
        Assert.Equal("/signin", new Uri(page.Url).AbsolutePath);
        // The cookie as it was before signing out opens nothing: the session is gone from the server.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = system.DashboardUrl };
        var replay = new HttpRequestMessage(HttpMethod.Get, "/queue");
        replay.Headers.Add("Cookie", $"{copy.Name}={copy.Value}");
        var response = await http.SendAsync(replay);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task An_officer_posting_the_retrain_form_directly_is_refused_and_nothing_is_retrained()
    {
        var page = await system.SignedInPageAsync("officer.ada", "/models");
        var sentBefore = system.SentRequests.Count(r => r.Path.EndsWith("/retrain"));

        var response = await PostAsync(page, "/models?handler=Retrain", []);

        Assert.Equal(302, response.Status);
        Assert.StartsWith("/denied", new Uri(system.DashboardUrl, response.Headers["location"]).AbsolutePath);
        Assert.Equal(sentBefore, system.SentRequests.Count(r => r.Path.EndsWith("/retrain")));
        var models = await system.RiskApi.GetFromJsonAsync<JsonElement>("/api/models");
        Assert.DoesNotContain(models.EnumerateArray(), m => m.GetProperty("decision") is { ValueKind: JsonValueKind.Object } d &&
            d.GetProperty("actor").GetString() == "officer.ada");
        await page.GotoAsync(response.Headers["location"]);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("That page or action is for another role, so nothing was done");
    }

    [Fact]
    public async Task An_executive_posting_a_claim_directly_is_refused_and_the_task_stays_open()
    {
        var tasks = await system.StrategyApi.GetFromJsonAsync<JsonElement>("/api/tasks?status=Open&pageSize=1");
        var task = tasks.GetProperty("items")[0];
        var taskId = task.GetProperty("taskId").GetString()!;
        var page = await system.SignedInPageAsync("exec.eve", "/queue?Status=Open");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Claim" })).ToHaveCountAsync(0);

        var response = await PostAsync(page, "/queue?handler=Claim", new()
        {
            ["taskId"] = taskId,
            ["version"] = task.GetProperty("version").GetInt32().ToString(),
        });

        Assert.Equal(302, response.Status);
        Assert.StartsWith("/denied", new Uri(system.DashboardUrl, response.Headers["location"]).AbsolutePath);
        var after = await system.StrategyApi.GetFromJsonAsync<JsonElement>($"/api/tasks/{taskId}");
        Assert.Equal("Open", after.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("assignee").ValueKind);
    }

    [Fact]
    public async Task An_officer_cannot_open_the_what_if_page()
    {
        var page = await system.SignedInPageAsync("officer.cy");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "What-if scoring" })).ToHaveCountAsync(0);

        var response = await page.GotoAsync("/whatif");

        Assert.Equal(403, response!.Status);
        Assert.Equal("/denied", new Uri(page.Url).AbsolutePath);
    }

    /// <summary>
    /// Posts a form as the page's signed-in user (its cookies), with the anti-forgery token of the page's own sign-out form, as
    /// a hand-made request would: the server, not the page, must refuse what the role may not do. Redirects are not followed.
    /// </summary>
    private static async Task<IAPIResponse> PostAsync(IPage page, string path, Dictionary<string, string> fields)
    {
        var antiforgery = await page.Locator("form[action='/signout'] input[name=__RequestVerificationToken]").GetAttributeAsync("value");
        var form = page.Context.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", antiforgery!);
        foreach (var (name, value) in fields)
            form.Set(name, value);
        return await page.Context.APIRequest.PostAsync(path, new() { Form = form, MaxRedirects = 0 });
    }
}
