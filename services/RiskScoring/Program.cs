using LoanRecovery.RiskScoring;
using LoanRecovery.RiskScoring.Endpoints;
using LoanRecovery.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddRiskScoring();

var app = builder.Build();
app.MapServiceDefaults();
app.MapRiskScoringEndpoints();
app.MapPortfolioEndpoints();
app.Run();

/// <summary>Entry point, public so tests can host the service in-process.</summary>
public partial class Program;
