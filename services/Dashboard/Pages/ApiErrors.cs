using LoanRecovery.Dashboard.Clients;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace LoanRecovery.Dashboard.Pages;

public static class ApiErrors
{
    /// <summary>
    /// Puts a service's field errors next to the form's fields: the API's camelCase field name maps to the property of the
    /// form bound under <paramref name="prefix"/>; a field the form does not have, and the problem's title and detail, go to
    /// the form's summary so nothing the API said is lost.
    /// </summary>
    public static void AddTo<T>(ModelStateDictionary modelState, string prefix, ApiResult<T> result, IReadOnlyCollection<string> formFields)
    {
        var unplaced = new List<string>();
        foreach (var (field, messages) in result.FieldErrors)
        {
            var property = field.Length == 0 ? field : char.ToUpperInvariant(field[0]) + field[1..];
            foreach (var message in messages)
            {
                if (formFields.Contains(property))
                    modelState.AddModelError($"{prefix}.{property}", $"{Words(property)}: {message}");
                else
                    unplaced.Add($"{field}: {message}");
            }
        }
        var summary = string.Join(" ", new[] { result.Message }.Concat(unplaced).Where(s => !string.IsNullOrWhiteSpace(s)));
        if (summary.Length > 0)
            modelState.AddModelError(prefix, summary);
    }

    /// <summary>"PromisedDate" → "Promised date".</summary>
    public static string Words(string property) =>
        string.Concat(property.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));
}
