using AnnualCycle.Runtime;
using AnnualCycle.Runtime.Hosting;
using AnnualCycle.Web;
using AnnualCycle.Web.Api;
using AnnualCycle.Web.Calendar;
using AnnualCycle.Web.Health;
using AnnualCycle.Web.Ui;

var builder = WebApplication.CreateBuilder(args);
RepositoryConfiguration.AddRepositorySettings(builder.Configuration, RepositoryConfiguration.FindRoot(), builder.Environment.EnvironmentName);

// The engine as every host has it (AnnualCycleCore), then only what a web host adds.
builder.Services.AddAnnualCycleCore(builder.Configuration);
builder.Services.AddAnnualCycleWeb(builder.Configuration, builder.Environment);
builder.Services.AddAnnualCycleUi(builder.Environment);

var app = builder.Build();

await DatabaseMigrator.MigrateAsync(app.Services);
await app.SeedDemoAsync();

app.MapAnnualCycleWeb();

app.MapHealthEndpoints();
app.MapWorkflowsApi();
app.MapCyclesApi();
app.MapReportsApi();
app.MapStepsApi();
app.MapMeApi();
app.MapAdminEmailsApi();
app.MapEmailLogApi();
app.MapCalendarApi();
app.MapArshjulApi();
app.MapMeetingsApi();
app.MapDeliverablesApi();
app.MapAnnualCycleUi(); // "/" is Mina uppgifter

app.Run();

public partial class Program;
