using System.ComponentModel.DataAnnotations;

namespace LoanRecovery.ServiceDefaults.Http;

/// <summary>Limits on what a caller may send (section <c>Http</c>).</summary>
public sealed class HttpInputOptions
{
    public const string Section = "Http";

    /// <summary>
    /// Largest request body an endpoint reads, in bytes, unless the endpoint declares its own limit (Ingestion's CSV
    /// import does, with <c>Ingestion:MaxImportBytes</c>). The services' JSON bodies are a few hundred bytes to a few
    /// kilobytes (a policy document); 1 MiB leaves ample room and refuses a flood before it is parsed.
    /// </summary>
    [Range(1024, 100L * 1024 * 1024)] public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
