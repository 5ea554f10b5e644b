using LoanRecovery.Segmentation;
using LoanRecovery.Segmentation.Endpoints;
using LoanRecovery.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSegmentation();

var app = builder.Build();
app.MapServiceDefaults();
app.MapSegmentationEndpoints();
app.Run();

/// <summary>Entry point, public so tests can host the service in-process.</summary>
public partial class Program;
