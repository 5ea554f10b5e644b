using System.ComponentModel.DataAnnotations;
using LoanRecovery.Dashboard.SignIn;
using LoanRecovery.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LoanRecovery.Dashboard.Pages;

public sealed class SignInInput
{
    [Required(ErrorMessage = "Enter your username.")]
    [StringLength(DashboardAccounts.MaxUsernameLength, ErrorMessage = "A username has at most {1} characters.")]
    public string? Username { get; set; }

    [Required(ErrorMessage = "Enter your password.")]
    [StringLength(1024, ErrorMessage = "A password has at most {1} characters.")]
    public string? Password { get; set; }
}

/// <summary>Username and password against the configured users; a wrong one of the two is never named.</summary>
[AllowAnonymous]
public sealed class SignInModel(PasswordSignIn signIn, UserDirectory users, TimeProvider clock) : PageModel
{
    public const string WrongCredentials = "The username or password is not correct.";

    [BindProperty] public SignInInput Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty(SupportsGet = true)] public bool SignedOut { get; set; }
    public string? Problem { get; private set; }
    public bool NoUsers => users.Count == 0;

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? LocalRedirect(Destination) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        SignedOut = false;
        if (!ModelState.IsValid)
            return Page();
        switch (signIn.Check(Input.Username!, Input.Password!))
        {
            case SignInOutcome.Succeeded success:
                await HttpContext.SignInAsync(SignedInUser.PrincipalFor(success.User));
                return LocalRedirect(Destination);
            case SignInOutcome.LockedOut locked:
                var minutes = Math.Max(1, (int)Math.Ceiling((locked.Until - clock.GetUtcNow()).TotalMinutes));
                Problem = $"Too many failed sign-ins for this username. Try again in {minutes} minute{(minutes == 1 ? "" : "s")}.";
                break;
            default:
                Problem = WrongCredentials;
                break;
        }
        // The password is never sent back in the page.
        ModelState.Remove($"{nameof(Input)}.{nameof(SignInInput.Password)}");
        Input.Password = null;
        return Page();
    }

    /// <summary>Where to go after signing in: the page that asked for it when it is one of ours, else the work queue.</summary>
    private string Destination => !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/";
}
