using AnnualCycle.Runtime;
using AnnualCycle.Runtime.Cycles;
using AnnualCycle.Runtime.Hosting;
using AnnualCycle.Web.Api;
using AnnualCycle.Web.Health;

var builder = WebApplication.CreateBuilder(args);
RepositoryConfiguration.AddRepositorySettings(builder.Configuration, RepositoryConfiguration.FindRoot(), builder.Environment.EnvironmentName);

builder.Services.AddAnnualCycleRuntime(builder.Configuration);
builder.Services.AddAnnualCycleEngine(builder.Configuration);

var app = builder.Build();

await DatabaseMigrator.MigrateAsync(app.Services);

app.MapHealthEndpoints();
app.MapCyclesApi();
app.MapStepsApi();
app.MapMeApi();
app.MapGet("/", () => Results.Redirect("/health/ready"));

app.Run();

public partial class Program;
