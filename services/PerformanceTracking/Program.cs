using LoanRecovery.PerformanceTracking;
using LoanRecovery.PerformanceTracking.Endpoints;
using LoanRecovery.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPerformanceTracking();

var app = builder.Build();
app.MapServiceDefaults();
app.MapPerformanceTrackingEndpoints();
app.MapRecoveryOverTimeEndpoints();
app.Run();

/// <summary>Entry point, public so tests can host the service in-process.</summary>
public partial class Program;
