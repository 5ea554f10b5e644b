using LoanRecovery.Dashboard.SignIn;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LoanRecovery.Dashboard.Pages;

/// <summary>Where a signed-in person lands when a page or an action is for another role; answered with 403.</summary>
public sealed class DeniedModel : PageModel
{
    public SignedInUser? SignedIn { get; private set; }

    public void OnGet()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        SignedIn = SignedInUser.From(User);
    }
}
