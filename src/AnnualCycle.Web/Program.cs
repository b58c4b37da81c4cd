using AnnualCycle.Runtime;
using AnnualCycle.Runtime.Definitions;
using AnnualCycle.Runtime.Email;
using AnnualCycle.Runtime.Hosting;
using AnnualCycle.Web;
using AnnualCycle.Runtime.Cycles;
using AnnualCycle.Runtime.Calendar;
using AnnualCycle.Web.Api;
using AnnualCycle.Web.Calendar;
using AnnualCycle.Web.Health;
using AnnualCycle.Web.Ui;

var builder = WebApplication.CreateBuilder(args);
RepositoryConfiguration.AddRepositorySettings(builder.Configuration, RepositoryConfiguration.FindRoot(), builder.Environment.EnvironmentName);

builder.Services.AddAnnualCycleRuntime(builder.Configuration);
builder.Services.AddAnnualCycleDefinitions(builder.Configuration);
builder.Services.AddAnnualCycleWeb(builder.Configuration, builder.Environment);
builder.Services.AddAnnualCycleEngine(builder.Configuration);
builder.Services.AddAnnualCycleEmail(builder.Configuration);
builder.Services.AddAnnualCycleCalendar(builder.Configuration);
builder.Services.AddAnnualCycleUi(builder.Environment);

var app = builder.Build();

await DatabaseMigrator.MigrateAsync(app.Services);
await app.SeedDemoAsync();

app.MapAnnualCycleWeb();

app.MapHealthEndpoints();
app.MapWorkflowsApi();
app.MapCyclesApi();
app.MapStepsApi();
app.MapMeApi();
app.MapAdminEmailsApi();
app.MapCalendarApi();
app.MapArshjulApi();
app.MapMeetingsApi();
app.MapDeliverablesApi();
app.MapAnnualCycleUi(); // "/" is Mina uppgifter

app.Run();

public partial class Program;
