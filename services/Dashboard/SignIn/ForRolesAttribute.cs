using System.Reflection;
using LoanRecovery.ServiceDefaults.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace LoanRecovery.Dashboard.SignIn;

/// <summary>
/// Reserves a page handler (one form's action, e.g. retraining) to some roles. Razor Pages honour <c>[Authorize]</c> on the
/// page only, so <see cref="HandlerRolesFilter"/> reads this attribute on the handler method and refuses anyone else with
/// 403 (the sign-in cookie turns it into the "not for your role" page) before the handler runs.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ForRolesAttribute(params DashboardRole[] roles) : Attribute
{
    public IReadOnlyList<DashboardRole> Roles { get; } = roles;
}

public sealed partial class HandlerRolesFilter(ILogger<HandlerRolesFilter> log) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (context.HandlerMethod?.MethodInfo.GetCustomAttribute<ForRolesAttribute>() is { } required &&
            !required.Roles.Any(role => context.HttpContext.User.IsInRole(role.ToString())))
        {
            LogRefused(context.HttpContext.User.Identity?.Name ?? "", context.ActionDescriptor.ViewEnginePath, context.HandlerMethod.Name ?? "");
            context.Result = new ForbidResult();
            return;
        }
        await next();
    }

    [LoggerMessage(LogLevel.Warning, "Refused {Username} the action {Handler} of {Page}: not for their role")]
    private partial void LogRefused(string username, string page, string handler);
}
