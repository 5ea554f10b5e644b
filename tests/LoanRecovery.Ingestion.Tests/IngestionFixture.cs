using System.Net.Http.Json;
using LoanRecovery.Testing;

namespace LoanRecovery.Ingestion.Tests;

/// <summary>Ingestion running in-process on its own database and virtual host, with a bare AMQP client beside it.</summary>
public class IngestionFixture : IAsyncLifetime
{
    public ThrowawayDatabase Database { get; private set; } = null!;
    public ThrowawayVirtualHost VirtualHost { get; private set; } = null!;
    public ServiceHost<Program> Host { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public RabbitProbe Probe { get; private set; } = null!;

    /// <summary>Settings beyond the service's defaults.</summary>
    protected virtual Dictionary<string, string?> Settings => new();

    public async ValueTask InitializeAsync()
    {
        Database = await ThrowawayDatabase.CreateAsync();
        VirtualHost = await ThrowawayVirtualHost.CreateAsync();
        Host = new ServiceHost<Program>(Database, VirtualHost, "ingestion", Settings);
        Http = Host.Start();
        Probe = await RabbitProbe.ConnectAsync(VirtualHost.Name);
    }

    public async ValueTask DisposeAsync()
    {
        await Probe.DisposeAsync();
        Http.Dispose();
        await Host.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public async Task<HttpResponseMessage> ImportCsvAsync(string csv, string fileName = "portfolio.csv")
    {
        using var content = new StringContent(csv, System.Text.Encoding.UTF8, "text/csv");
        content.Headers.Add("X-File-Name", fileName);
        return await Http.PostAsync("/api/imports", content);
    }

    public static async Task<ImportResult> ReadImportAsync(HttpResponseMessage response)
    {
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ImportResult>())!;
    }
}

public sealed record ImportRejectionResult(int Row, string Column, string Reason);

public sealed record ImportResult(Guid ImportId, string? FileName, int RowsRead, int Accepted, int Unchanged, int Rejected,
    IReadOnlyList<ImportRejectionResult> Rejections, bool RejectionsTruncated);
