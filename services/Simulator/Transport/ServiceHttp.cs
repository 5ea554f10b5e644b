using System.Net.Http.Headers;

namespace LoanRecovery.Simulator.Transport;

/// <summary>The simulator's HTTP clients for the services' APIs, which require a bearer token.</summary>
public static class ServiceHttp
{
    public static HttpClient Create(Uri? baseAddress, string? bearerToken)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        if (baseAddress is not null)
            http.BaseAddress = baseAddress;
        if (!string.IsNullOrWhiteSpace(bearerToken))
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        return http;
    }
}
