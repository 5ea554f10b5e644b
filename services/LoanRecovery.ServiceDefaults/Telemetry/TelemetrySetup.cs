using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LoanRecovery.ServiceDefaults.Telemetry;

public static class TelemetrySetup
{
    /// <summary>Activity sources every service traces; the project's own are <c>LoanRecovery.*</c>.</summary>
    public static readonly string[] TraceSources = ["MassTransit", "Npgsql", "Microsoft.AspNetCore", "System.Net.Http", "LoanRecovery.*"];

    public static readonly string[] Meters =
        ["MassTransit", "Npgsql", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "LoanRecovery.*"];

    /// <summary>
    /// Tracing and metrics through the OpenTelemetry SDK, exported over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads that variable itself). The providers are
    /// singletons, so the host disposes (and flushes) them on shutdown.
    /// </summary>
    public static void AddServiceTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        var export = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var resource = ResourceBuilder.CreateDefault().AddService(serviceName, serviceNamespace: "loanrecovery");

        builder.Services.AddSingleton(_ =>
        {
            var tracing = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(TraceSources);
            if (export)
                tracing.AddOtlpExporter();
            return tracing.Build()!;
        });
        builder.Services.AddSingleton(_ =>
        {
            var metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(Meters);
            if (export)
                metrics.AddOtlpExporter();
            return metrics.Build()!;
        });
        // Resolve both at start so spans are recorded from the first request, not from the first resolution.
        builder.Services.AddHostedService<TelemetryActivator>();
    }

    private sealed class TelemetryActivator(TracerProvider tracer, MeterProvider meter) : Microsoft.Extensions.Hosting.IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken)
        {
            tracer.ForceFlush(2000);
            meter.ForceFlush(2000);
            return Task.CompletedTask;
        }
    }
}
