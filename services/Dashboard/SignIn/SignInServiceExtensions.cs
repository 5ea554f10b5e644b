using LoanRecovery.ServiceDefaults;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace LoanRecovery.Dashboard.SignIn;

public static class SignInServiceExtensions
{
    public const string SignInPath = "/signin";
    public const string SignOutPath = "/signout";
    public const string DeniedPath = "/denied";
    public const string CookieName = "lr-dashboard-session";

    /// <summary>
    /// Sign-in with a username and password against the configured users; the session is kept on the server
    /// (<see cref="SessionStore"/>) and its key in an encrypted, HttpOnly, SameSite=Strict cookie. Every page requires a
    /// signed-in user (the fallback policy) unless it allows anonymous use (only the sign-in page does).
    /// </summary>
    public static WebApplicationBuilder AddDashboardSignIn(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SignInOptions>().BindConfiguration(SignInOptions.Section).ValidateDataAnnotationsSerially().ValidateOnStart();
        services.AddOptions<DashboardUsersOptions>().BindConfiguration(DashboardOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DashboardUsersOptions>, DashboardUsersValidator>();
        services.AddSingleton<UserDirectory>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<PasswordSignIn>();
        services.AddScoped<SessionCookieEvents>();
        services.AddSingleton<SessionStore>();

        // ServiceDefaults registers the services' bearer scheme as the default; the dashboard's people use the cookie.
        services.AddAuthentication(o => o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<SignInOptions>, SessionStore>((cookie, signIn, sessions) =>
            {
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = signIn.Value.AlwaysSecureCookie ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                cookie.Cookie.IsEssential = true;
                cookie.ExpireTimeSpan = signIn.Value.SessionIdleTimeout;
                cookie.SlidingExpiration = true;
                cookie.LoginPath = SignInPath;
                cookie.LogoutPath = SignOutPath;
                cookie.AccessDeniedPath = DeniedPath;
                cookie.EventsType = typeof(SessionCookieEvents);
                cookie.SessionStore = sessions;
            });
        services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }
}
