using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using LoanRecovery.Dashboard.SignIn;
using LoanRecovery.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LoanRecovery.Dashboard.Tests;

/// <summary>The sign-in's plain classes: lock-out on a clock the test moves, the users' configuration check, the token sent.</summary>
public sealed class Sign_in_rules
{
    private static readonly SignInOptions Settings = new()
    {
        MaxFailedAttempts = 3, FailureWindow = TimeSpan.FromMinutes(10), LockoutDuration = TimeSpan.FromMinutes(15),
    };

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class FixedOptions<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;
        public T Get(string? name) => value;
        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }

    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static (SignInThrottle Throttle, ManualClock Clock) NewThrottle()
    {
        var clock = new ManualClock(Start);
        return (new SignInThrottle(new FixedOptions<SignInOptions>(Settings), clock), clock);
    }

    private static void Fail(SignInThrottle throttle, string username)
    {
        Assert.Null(throttle.Begin(username));
        throttle.Failed(username);
    }

    [Fact]
    public void Failures_up_to_the_limit_lock_the_username_for_the_lockout_duration_then_it_may_try_again()
    {
        var (throttle, clock) = NewThrottle();
        Fail(throttle, "officer.ada");
        Fail(throttle, "OFFICER.ADA"); // usernames are compared ignoring case
        Assert.Null(throttle.Begin("officer.ada"));

        Assert.Equal(Start + Settings.LockoutDuration, throttle.Failed("officer.ada"));
        clock.Now = Start + Settings.LockoutDuration - TimeSpan.FromSeconds(1);
        Assert.Equal(Start + Settings.LockoutDuration, throttle.Begin("officer.ada"));
        Assert.Null(throttle.Begin("officer.bo"));

        clock.Now = Start + Settings.LockoutDuration;
        Assert.Null(throttle.Begin("officer.ada"));
    }

    [Fact]
    public void A_success_or_the_end_of_the_failure_window_forgets_the_failures()
    {
        var (throttle, clock) = NewThrottle();
        Fail(throttle, "a");
        Fail(throttle, "a");
        Assert.Null(throttle.Begin("a"));
        throttle.Succeeded("a");
        Fail(throttle, "a");
        Fail(throttle, "a");

        clock.Now = Start + Settings.FailureWindow;
        Fail(throttle, "a");
        Fail(throttle, "a");
        Assert.Null(throttle.Begin("a"));
        Assert.NotNull(throttle.Failed("a"));
    }

    [Fact]
    public void Attempts_in_flight_count_so_parallel_guesses_cannot_pass_the_limit()
    {
        var (throttle, _) = NewThrottle();
        var started = Enumerable.Range(0, 10).Select(_ => throttle.Begin("target")).ToList();

        Assert.Equal(Settings.MaxFailedAttempts, started.Count(lockedUntil => lockedUntil is null));
    }

    [Fact]
    public void Usernames_whose_window_has_passed_are_forgotten_once_many_are_remembered()
    {
        var (throttle, clock) = NewThrottle();
        for (var i = 0; i <= SignInThrottle.PurgeAbove; i++)
            Fail(throttle, $"guess-{i}");
        for (var i = 0; i < Settings.MaxFailedAttempts; i++)
            Fail(throttle, "locked");
        Assert.Equal(SignInThrottle.PurgeAbove + 2, throttle.Remembered);

        clock.Now = Start + Settings.FailureWindow;
        Assert.Null(throttle.Begin("someone-new"));

        // The lock outlasts the failure window, so it is kept; the expired guesses are gone.
        Assert.Equal(2, throttle.Remembered);
        Assert.NotNull(throttle.Begin("locked"));
    }

    [Fact]
    public async Task A_session_is_gone_once_removed_or_expired_and_renewing_does_not_bring_it_back()
    {
        var clock = new ManualClock(Start);
        var sessions = new SessionStore(clock);
        AuthenticationTicket Ticket(TimeSpan lifetime) => new(new ClaimsPrincipal(new ClaimsIdentity("test")),
            new AuthenticationProperties { ExpiresUtc = clock.Now + lifetime }, "test");
        var signedOut = await sessions.StoreAsync(Ticket(TimeSpan.FromMinutes(30)));
        var idle = await sessions.StoreAsync(Ticket(TimeSpan.FromMinutes(30)));
        Assert.NotEqual(signedOut, idle);

        await sessions.RemoveAsync(signedOut);
        await sessions.RenewAsync(signedOut, Ticket(TimeSpan.FromMinutes(30)));
        Assert.Null(await sessions.RetrieveAsync(signedOut));
        Assert.NotNull(await sessions.RetrieveAsync(idle));

        clock.Now += TimeSpan.FromMinutes(30);
        Assert.Null(await sessions.RetrieveAsync(idle));
        await sessions.StoreAsync(Ticket(TimeSpan.FromMinutes(30)));
        Assert.Equal(1, sessions.Count);
    }

    [Fact]
    public void A_wrong_password_and_an_unknown_username_get_the_same_answer_and_both_lock()
    {
        var (throttle, _) = NewThrottle();
        var users = new UserDirectory(new FixedOptions<DashboardUsersOptions>(new DashboardUsersOptions
        {
            Users = [new DashboardUser { Username = "officer.ada", Role = "Officer", PasswordHash = PasswordHashes.Hash("the right password") }],
        }));
        var signIn = new PasswordSignIn(users, throttle, new FixedOptions<SignInOptions>(Settings), NullLogger<PasswordSignIn>.Instance);

        Assert.IsType<SignInOutcome.Rejected>(signIn.Check("officer.ada", "a wrong password"));
        Assert.IsType<SignInOutcome.Rejected>(signIn.Check("nobody", "a wrong password"));
        Assert.Equal("officer.ada", Assert.IsType<SignInOutcome.Succeeded>(signIn.Check(" Officer.Ada ", "the right password")).User.Username);
        for (var attempt = 2; attempt < Settings.MaxFailedAttempts; attempt++)
            Assert.IsType<SignInOutcome.Rejected>(signIn.Check("nobody", "a wrong password"));
        Assert.IsType<SignInOutcome.LockedOut>(signIn.Check("nobody", "a wrong password"));
    }

    [Fact]
    public void Each_problem_in_the_configured_users_is_named_with_its_key()
    {
        var valid = PasswordHashes.Hash("a long enough password");
        var result = new DashboardUsersValidator().Validate(null, new DashboardUsersOptions
        {
            Users =
            [
                new DashboardUser { Username = "officer.ada", Role = "Officer", PasswordHash = valid },
                new DashboardUser { Username = "Officer.Ada", Role = "Analyst", PasswordHash = valid },
                new DashboardUser { Username = "bo", Role = "Boss", PasswordHash = "hunter2hunter2" },
                new DashboardUser { Username = "has space", Role = "Executive", PasswordHash = valid, DisplayName = "Line\nbreak" },
            ],
        });

        Assert.True(result.Failed);
        Assert.Equal(
        [
            "Dashboard:Users:1:Username 'Officer.Ada' appears more than once (usernames are compared ignoring case)",
            "Dashboard:Users:2:Role 'Boss' is not one of Officer, Analyst, Executive",
            "Dashboard:Users:2:PasswordHash is not a password hash (base64 of an ASP.NET Core Identity v3 hash); never put a password itself in configuration (make one with: loanrecovery dashboard-user)",
            "Dashboard:Users:3:Username may hold only letters, digits and . _ @ - (starting with a letter or digit)",
            "Dashboard:Users:3:DisplayName holds a control character (a line break or tab)",
        ], result.Failures);
        Assert.True(new DashboardUsersValidator().Validate(null, new DashboardUsersOptions { Users = [] }).Succeeded);
    }

    [Theory]
    [InlineData(0x00, 100_000, "is a hash of format 0")]
    [InlineData(0x01, 1_000, "uses 1000 iterations")]
    public void Weak_or_old_hash_formats_are_refused(byte format, int iterations, string problem)
    {
        var bytes = Convert.FromBase64String(PasswordHashes.Hash("a long enough password"));
        bytes[0] = format;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(5), (uint)iterations);

        Assert.StartsWith(problem, PasswordHashes.Problem(Convert.ToBase64String(bytes)));
        Assert.False(PasswordHashes.Verify(Convert.ToBase64String(bytes), "a long enough password"));
    }

    [Theory]
    [InlineData(DashboardRole.Officer, ServiceRoles.Collector)]
    [InlineData(DashboardRole.Analyst, ServiceRoles.Analyst)]
    [InlineData(DashboardRole.Executive, ServiceRoles.Analyst)]
    public async Task The_token_sent_to_the_services_names_the_signed_in_user_with_their_roles_service_role(DashboardRole role, string serviceRole)
    {
        const string key = "a-test-signing-key-of-more-than-32-characters";
        var user = new DashboardUser { Username = "someone.signed-in", DisplayName = "Someone", Role = role.ToString(), PasswordHash = "unused" };
        var context = new DefaultHttpContext { User = SignedInUser.PrincipalFor(user) };
        var sent = new CapturingHandler();
        var handler = new SignedInUserTokenHandler(new HttpContextAccessor { HttpContext = context }, BearerTokens.Create(key)) { InnerHandler = sent };

        await new HttpMessageInvoker(handler).SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://service.test/api/x"), CancellationToken.None);

        Assert.Equal("Bearer", sent.Authorization!.Scheme);
        var (identity, failure) = await BearerTokens.Create(key).ValidateAsync(sent.Authorization.Parameter!);
        Assert.Null(failure);
        Assert.Equal("someone.signed-in", identity!.Name);
        Assert.Equal([serviceRole], identity.FindAll(BearerTokens.RoleClaim).Select(c => c.Value));
    }

    [Fact]
    public async Task Nobody_signed_in_sends_no_token()
    {
        var sent = new CapturingHandler();
        var handler = new SignedInUserTokenHandler(new HttpContextAccessor { HttpContext = new DefaultHttpContext { User = new ClaimsPrincipal(new ClaimsIdentity()) } },
            BearerTokens.Create("a-test-signing-key-of-more-than-32-characters")) { InnerHandler = sent };

        await new HttpMessageInvoker(handler).SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://service.test/api/x"), CancellationToken.None);

        Assert.Null(sent.Authorization);
    }

    [Fact]
    public void A_changed_role_or_password_hash_changes_the_session_stamp()
    {
        var user = new DashboardUser { Username = "a", Role = "Officer", PasswordHash = PasswordHashes.Hash("first password!") };
        var stamp = SignedInUser.StampOf(user);

        Assert.Equal(stamp, SignedInUser.StampOf(new DashboardUser { Username = "a", Role = "Officer", PasswordHash = user.PasswordHash, DisplayName = "New name" }));
        Assert.NotEqual(stamp, SignedInUser.StampOf(new DashboardUser { Username = "a", Role = "Analyst", PasswordHash = user.PasswordHash }));
        Assert.NotEqual(stamp, SignedInUser.StampOf(new DashboardUser { Username = "a", Role = "Officer", PasswordHash = PasswordHashes.Hash("first password!") }));
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public System.Net.Http.Headers.AuthenticationHeaderValue? Authorization { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Authorization = request.Headers.Authorization;
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }
}
