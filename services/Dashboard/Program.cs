using LoanRecovery.Dashboard;
using LoanRecovery.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDashboard();

var app = builder.Build();
app.MapServiceDefaults();
app.MapDashboard();
app.Run();
