using LoanRecovery.Ingestion;
using LoanRecovery.Ingestion.Endpoints;
using LoanRecovery.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddIngestion();

var app = builder.Build();
app.MapServiceDefaults();
app.MapIngestionEndpoints();
app.Run();

/// <summary>Entry point, public so tests can host the service in-process.</summary>
public partial class Program;
