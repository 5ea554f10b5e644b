using LoanRecovery.ServiceDefaults;
using LoanRecovery.StrategyAssignment;
using LoanRecovery.StrategyAssignment.Endpoints;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddStrategyAssignment();

var app = builder.Build();
app.MapServiceDefaults();
app.MapStrategyAssignmentEndpoints();
app.Run();

/// <summary>Entry point, public so tests can host the service in-process.</summary>
public partial class Program;
