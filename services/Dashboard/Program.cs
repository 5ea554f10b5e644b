using LoanRecovery.Dashboard;
using LoanRecovery.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDashboard();

var app = builder.Build();
app.MapDashboard(); // static assets, then ServiceDefaults (health, sign-in required), then the pages
app.Run();
