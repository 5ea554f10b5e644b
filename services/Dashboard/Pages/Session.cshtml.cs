using LoanRecovery.Dashboard.Session;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LoanRecovery.Dashboard.Pages;

public sealed class SessionModel : PageModel
{
    public string? Problem { get; private set; }

    public IActionResult OnPost(string? name, DashboardRole? role, string? returnUrl)
    {
        var user = ActingUser.Parse($"{role}|{name?.Trim()}");
        if (user is null)
        {
            Problem = $"A name of 1 to {ActingUser.MaxNameLength} characters and a role are needed.";
            return Page();
        }
        Response.Cookies.Append(ActingUser.CookieName, user.CookieValue,
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, IsEssential = true });
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}
