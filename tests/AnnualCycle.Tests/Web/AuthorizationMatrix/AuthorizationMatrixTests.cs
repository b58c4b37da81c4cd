using System.Net;
using System.Net.Http.Json;
using System.Text;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;
using static AnnualCycle.Tests.Web.AuthorizationMatrix.Persona;
using static AnnualCycle.Tests.Web.AuthorizationMatrix.Target;

namespace AnnualCycle.Tests.Web.AuthorizationMatrix;

/// <summary>
/// The authorisation matrix (issue 11): ONE table, <see cref="Rows"/>, with a row for every endpoint the app maps
/// (API, pages, the Hangfire dashboard, sign-in, framework plumbing). Each row says who may use it — for each
/// <see cref="Persona"/> × <see cref="Target"/> — and how to ask. The test asks every cell of every row on the real host
/// and lists each cell whose answer differs. A second test enumerates the app's <see cref="EndpointDataSource"/> and fails
/// for an endpoint without a row, so a new endpoint cannot arrive without saying who may use it.
/// <para>
/// "Allowed" means the request got past authorisation: not 401, 403 or 404, nor a redirect to sign in (a 400 or 409 after
/// the check counts as allowed), unless a row judges otherwise (a list must contain the target; a page must render its content rather than
/// the access-denied view or a redirect to sign in). Step actions follow the engine's rule as it stands (see
/// <c>Runtime/Cycles/README.md</c>, "Who may"); when the capability rule changes, the predicates below change with it.
/// </para>
/// </summary>
[Collection(HostCollection.Name)]
public sealed class AuthorizationMatrixTests
{
    /// <summary>Who may: the predicates the rows are made of, in the words of the security model.</summary>
    private static class May
    {
        public static bool Anyone(Persona p, Target t) => true;

        public static bool SignedIn(Persona p, Target t) => p != Anonymous;

        /// <summary>Holds a grant in the target's organisation (the system administrator reads no organisation's cycles).</summary>
        public static bool MemberOfTarget(Persona p, Target t) => p is not (Anonymous or SystemAdministrator) && t != OtherOrganisation;

        public static bool AdministratorOfTarget(Persona p, Target t) => p == SystemAdministrator || (p == Administrator && t != OtherOrganisation);

        public static bool AnyAdministrator(Persona p, Target t) => p is Administrator or SystemAdministrator;

        public static bool SystemAdministratorOnly(Persona p, Target t) => p == SystemAdministrator;

        public static bool ProcessOwnerOfTarget(Persona p, Target t) => p == ProcessOwner && t != OtherOrganisation;

        public static bool AnyProcessOwner(Persona p, Target t) => p == ProcessOwner;

        /// <summary>Appoints deputies, manages body calendars: an administrator or the process owner of the organisation.</summary>
        public static bool AdministratorOrProcessOwnerOfTarget(Persona p, Target t) => AdministratorOfTarget(p, t) || ProcessOwnerOfTarget(p, t);

        public static bool AdministratorOrAnyProcessOwner(Persona p, Target t) => p is Administrator or SystemAdministrator or ProcessOwner;

        /// <summary>Submit and upload: a contributor of the step's body, or their deputy.</summary>
        public static bool ContributorOfTarget(Persona p, Target t) => p is Contributor or Deputy && t == OwnBody;

        /// <summary>The first approval of HSN's reports: the förvaltningsdirektör of HSF (never the submitter).</summary>
        public static bool FirstApproverOfTarget(Persona p, Target t) => p == Director && t == OwnBody;

        /// <summary>The second approval: the nämnd HSN, recorded by its secretary.</summary>
        public static bool SecondApproverOfTarget(Persona p, Target t) => p == Secretary && t == OwnBody;

        /// <summary>Confirm a meeting: a contributor of the body (or deputy) or the process owner.</summary>
        public static bool ConfirmerOfTarget(Persona p, Target t) => ContributorOfTarget(p, t) || ProcessOwnerOfTarget(p, t);
    }

    /// <summary>How a cell asks: the API with the persona's bearer token, or a browser with the persona's cookie.</summary>
    internal enum Channel
    {
        Api,
        Browser,
    }

    /// <param name="Key">The endpoint: its HTTP methods and route pattern as the app maps them (<c>*</c>: any method).</param>
    /// <param name="Allowed">Who may, per persona and target.</param>
    /// <param name="Ask">The request of a cell; <c>fresh</c> when the cell is expected to be allowed (it may change what it touches).</param>
    /// <param name="Judge">Whether the answer means allowed; null: not 401, 403 or 404.</param>
    /// <param name="PerTarget">False when the endpoint is about no target: asked once per persona, the verdict holding for all three.</param>
    internal sealed record Row(
        string Key,
        Func<Persona, Target, bool> Allowed,
        Func<MatrixScene, Target, bool, Task<HttpRequestMessage>> Ask,
        Channel Channel = Channel.Api,
        Func<MatrixScene, Target, HttpResponseMessage, Task<bool>>? Judge = null,
        bool PerTarget = true);

    private static HttpRequestMessage Get(string url) => new(HttpMethod.Get, url);

    private static HttpRequestMessage Send(HttpMethod method, string url, object? body = null) =>
        new(method, url) { Content = body is null ? null : JsonContent.Create(body) };

    private static Task<HttpRequestMessage> Sync(HttpRequestMessage request) => Task.FromResult(request);

    /// <summary>A list or page answers for the target when it names it.</summary>
    private static Func<MatrixScene, Target, HttpResponseMessage, Task<bool>> Names(Func<MatrixScene, Target, string> what) =>
        async (scene, target, response) => response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadAsStringAsync()).Contains(what(scene, target), StringComparison.Ordinal);

    /// <summary>A page is allowed when it renders (200) and neither shows the access-denied view nor sends to sign-in.</summary>
    private static async Task<bool> Renders(MatrixScene scene, Target target, HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.OK && !(await response.Content.ReadAsStringAsync()).Contains("data-testid=\"access-denied\"", StringComparison.Ordinal);

    /// <summary>Reached the endpoint at all: for sign-in and plumbing, whose own answer (e.g. 401 for a wrong password) is not a refusal.</summary>
    private static Task<bool> Reached(MatrixScene scene, Target target, HttpResponseMessage response) =>
        Task.FromResult(response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed));

    private static string Org(Target t) => MatrixScene.Organisation(t);

    private static string Step(MatrixScene s, Target t, StepSetup setup, bool fresh) => $"/api/v1/steps/{s.Step(t, setup, fresh)}";

    /// <summary>The table; <c>EndpointFuzzTests</c> asks every row again with bad input and with the database stopped.</summary>
    internal static readonly Row[] Rows =
    [
        // Sign-in and plumbing: reachable by anyone; what they answer is their own business.
        new("POST /api/v1/auth/login", May.Anyone, (s, t, f) => Sync(Send(HttpMethod.Post, "/api/v1/auth/login", new { email = "ingen@matris.test", password = "fel-losenord-123" })), Judge: Reached, PerTarget: false),
        new("POST /api/v1/auth/logout", May.Anyone, (s, t, f) => Sync(Send(HttpMethod.Post, "/api/v1/auth/logout")), Judge: Reached, PerTarget: false),
        new("POST /api/v1/auth/refresh", May.Anyone, (s, t, f) => Sync(Send(HttpMethod.Post, "/api/v1/auth/refresh", new { refreshToken = "x" })), Judge: Reached, PerTarget: false),
        new("* /health/live", May.Anyone, (s, t, f) => Sync(Get("/health/live")), PerTarget: false),
        new("* /health/ready", May.Anyone, (s, t, f) => Sync(Get("/health/ready")), Judge: Reached, PerTarget: false),
        new("GET /openapi/{documentName}.json", May.Anyone, (s, t, f) => Sync(Get("/openapi/v1.json")), PerTarget: false),
        new("GET /calendar/{token}.ics", May.Anyone, (s, t, f) => Sync(Get("/calendar/no-such-token.ics")), Judge: (s, t, r) => Task.FromResult(r.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.OK), PerTarget: false),
        new("GET /konto/sprak", May.Anyone, (s, t, f) => Sync(Get("/konto/sprak?culture=sv&returnUrl=/")), Judge: Reached, PerTarget: false),
        new("POST /konto/logga-ut", May.Anyone, (s, t, f) => Sync(new HttpRequestMessage(HttpMethod.Post, "/konto/logga-ut") { Content = new FormUrlEncodedContent([]) }), Judge: (s, t, r) => Task.FromResult(r.StatusCode != HttpStatusCode.NotFound), PerTarget: false),
        new("GET /_framework/opaque-redirect", May.Anyone, (s, t, f) => Sync(Get("/_framework/opaque-redirect")), Judge: Reached, PerTarget: false),
        new("* /_blazor/negotiate", May.Anyone, (s, t, f) => Sync(Send(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1")), Judge: Reached, PerTarget: false),
        new("* /_blazor", May.Anyone, (s, t, f) => Sync(Get("/_blazor?id=none")), Judge: (s, t, r) => Task.FromResult(r.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)), PerTarget: false),
        new("* /_blazor/disconnect/", May.Anyone, (s, t, f) => Sync(Send(HttpMethod.Post, "/_blazor/disconnect/")), Judge: (s, t, r) => Task.FromResult(r.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)), PerTarget: false),
        new("* /_blazor/initializers/", May.Anyone, (s, t, f) => Sync(Get("/_blazor/initializers/")), Judge: Reached, PerTarget: false),
        new("GET,HEAD {**path:file}", May.Anyone, (s, t, f) => Sync(Get("/app.css")), Judge: Reached, PerTarget: false),
        new("GET,HEAD (static assets)", May.Anyone, (s, t, f) => Sync(Get("/_content/MudBlazor/MudBlazor.min.css")), PerTarget: false),

        // Me: the signed-in person's own things.
        new("GET /api/v1/me/", May.SignedIn, (s, t, f) => Sync(Get("/api/v1/me")), PerTarget: false),
        new("PATCH /api/v1/me/", May.SignedIn, (s, t, f) => Sync(Send(HttpMethod.Patch, "/api/v1/me", new { language = "sv" })), PerTarget: false),
        new("GET /api/v1/me/deputies", May.SignedIn, (s, t, f) => Sync(Get("/api/v1/me/deputies")), PerTarget: false),
        new("GET /api/v1/me/tasks", May.SignedIn, (s, t, f) => Sync(Get("/api/v1/me/tasks")), PerTarget: false),
        new("GET /api/v1/me/calendar/", May.SignedIn, (s, t, f) => Sync(Get("/api/v1/me/calendar")), PerTarget: false),
        new("POST /api/v1/me/calendar/renew", May.SignedIn, (s, t, f) => Sync(Send(HttpMethod.Post, "/api/v1/me/calendar/renew")), PerTarget: false),
        new("DELETE /api/v1/me/calendar/", May.SignedIn, (s, t, f) => Sync(Send(HttpMethod.Delete, "/api/v1/me/calendar")), PerTarget: false),

        // Administration: users and grants, within the organisations one administers.
        new("GET /api/v1/admin/users/", May.AdministratorOfTarget, (s, t, f) => Sync(Get("/api/v1/admin/users")), Judge: Names((s, t) => s.User[t].Email)),
        new("GET /api/v1/admin/users/{id}", May.AdministratorOfTarget, (s, t, f) => Sync(Get($"/api/v1/admin/users/{s.User[t].Id}"))),
        new("POST /api/v1/admin/users/", May.AdministratorOfTarget, (s, t, f) => Sync(Send(HttpMethod.Post, "/api/v1/admin/users", new { email = $"ny{s.Next()}@matris.test", displayName = "Ny", password = "ett-langt-losenord", organisationId = Org(t) }))),
        new("PUT /api/v1/admin/users/{id}", May.AdministratorOfTarget, (s, t, f) => Sync(Send(HttpMethod.Put, $"/api/v1/admin/users/{s.User[t].Id}", new { displayName = s.User[t].Name }))),
        new("POST /api/v1/admin/users/{id}/grants", May.AdministratorOfTarget, async (s, t, f) =>
            Send(HttpMethod.Post, $"/api/v1/admin/users/{(f ? (await s.NewUserAsync(t)).Id : s.User[t].Id)}/grants", new { organisationId = Org(t), role = "member" })),
        new("DELETE /api/v1/admin/users/{id}/grants", May.AdministratorOfTarget, async (s, t, f) =>
            Send(HttpMethod.Delete, $"/api/v1/admin/users/{(f ? (await s.NewUserAsync(t)).Id : s.User[t].Id)}/grants?organisationId={Org(t)}&bodyId={MatrixScene.Body(t)}&role=contributor")),

        // Deputies: an administrator or the process owner of the principal's organisation.
        new("GET /api/v1/deputies/", May.AdministratorOrProcessOwnerOfTarget, (s, t, f) => Sync(Get("/api/v1/deputies")), Judge: Names((s, t) => s.Deputyship[t].ToString())),
        new("POST /api/v1/deputies/", May.AdministratorOrProcessOwnerOfTarget, async (s, t, f) =>
            Send(HttpMethod.Post, "/api/v1/deputies", new { principalUserId = s.User[t].Id, deputyEmail = (f ? await s.NewUserAsync(t) : s.User[t] with { Email = "ingen@matris.test" }).Email, from = "2026-08-01", to = "2026-08-31" }),
            Judge: (s, t, r) => Task.FromResult(r.StatusCode == HttpStatusCode.Created)),
        new("DELETE /api/v1/deputies/{id:guid}", May.AdministratorOrProcessOwnerOfTarget, async (s, t, f) =>
            Send(HttpMethod.Delete, $"/api/v1/deputies/{(f ? await s.NewDeputyshipAsync(t) : s.Deputyship[t])}")),

        // Email: the rows of one's organisations; the test email carries none.
        new("GET /api/v1/admin/emails/", May.AdministratorOfTarget, (s, t, f) => Sync(Get("/api/v1/admin/emails?state=DeadLetter")), Judge: Names((s, t) => s.Outbox[t].ToString())),
        new("GET /api/v1/admin/emails/stats", May.AnyAdministrator, (s, t, f) => Sync(Get("/api/v1/admin/emails/stats")), PerTarget: false),
        new("POST /api/v1/admin/emails/{id:guid}/send-now", May.AdministratorOfTarget, (s, t, f) => Sync(Send(HttpMethod.Post, $"/api/v1/admin/emails/{s.Outbox[t]}/send-now"))),
        // The email log of one's organisations, read-only: its process owners and administrators (issue 15).
        new("GET /api/v1/emails/", May.AdministratorOrProcessOwnerOfTarget, (s, t, f) => Sync(Get("/api/v1/emails")), Judge: Names((s, t) => s.CycleEmail[t].ToString())),
        new("GET /api/v1/emails/{id:guid}", May.AdministratorOrProcessOwnerOfTarget, (s, t, f) => Sync(Get($"/api/v1/emails/{s.CycleEmail[t]}")), Judge: Names((s, t) => "\"subject\":\"")),
        new("POST /api/v1/admin/emails/test", May.AnyAdministrator, (s, t, f) => Sync(Send(HttpMethod.Post, "/api/v1/admin/emails/test", new { to = "matris@matris.test" })), PerTarget: false),

        // Definitions and cycles: the people of the organisation read; its process owner starts.
        new("GET /api/v1/workflows/", May.MemberOfTarget, (s, t, f) => Sync(Get("/api/v1/workflows")), Judge: Names((s, t) => $"\"id\":\"{Org(t)}\"")),
        new("GET /api/v1/workflows/{id}/preview", May.MemberOfTarget, (s, t, f) => Sync(Get($"/api/v1/workflows/{Org(t)}/preview?year=2027"))),
        new("POST /api/v1/cycles/", May.ProcessOwnerOfTarget, (s, t, f) =>
            Sync(Send(HttpMethod.Post, "/api/v1/cycles", new { organisationId = Org(t), workflowId = Org(t), year = f ? (t == OwnBody ? 2029 : 2030) : 2031 }))),
        new("GET /api/v1/cycles/", May.MemberOfTarget, (s, t, f) => Sync(Get("/api/v1/cycles")), Judge: Names((s, t) => s.Cycle[t].ToString())),
        new("GET /api/v1/cycles/{id:guid}", May.MemberOfTarget, (s, t, f) => Sync(Get($"/api/v1/cycles/{s.Cycle[t]}"))),
        new("GET /api/v1/cycles/{id:guid}/steps", May.MemberOfTarget, (s, t, f) => Sync(Get($"/api/v1/cycles/{s.Cycle[t]}/steps"))),
        new("GET /api/v1/cycles/{id:guid}/journal", May.MemberOfTarget, (s, t, f) => Sync(Get($"/api/v1/cycles/{s.Cycle[t]}/journal"))),
        new("GET /api/v1/cycles/{id:guid}/export/{report}", May.ProcessOwnerOfTarget, (s, t, f) => Sync(Get($"/api/v1/cycles/{s.Cycle[t]}/export/status?format=xlsx"))),
        new("GET /api/v1/organisations/{organisationId}/lead-times", May.ProcessOwnerOfTarget, (s, t, f) => Sync(Get($"/api/v1/organisations/{Org(t)}/lead-times?format=csv"))),
        new("GET /cycles/{id:guid}/arshjul.svg", May.MemberOfTarget, (s, t, f) => Sync(Get($"/cycles/{s.Cycle[t]}/arshjul.svg"))),
        new("GET /cycles/{id:guid}/arshjul.png", May.MemberOfTarget, (s, t, f) => Sync(Get($"/cycles/{s.Cycle[t]}/arshjul.png?width=200"))),
        new("GET /cycles/{id:guid}/arshjul.pdf", May.MemberOfTarget, (s, t, f) => Sync(Get($"/cycles/{s.Cycle[t]}/arshjul.pdf"))),
        new("GET /arshjul/{organisationId}/{year:int}.svg", May.MemberOfTarget, (s, t, f) => Sync(Get($"/arshjul/{Org(t)}/2026.svg"))),
        new("GET /arshjul/{organisationId}/{year:int}.png", May.MemberOfTarget, (s, t, f) => Sync(Get($"/arshjul/{Org(t)}/2026.png?width=200"))),
        new("GET /arshjul/{organisationId}/{year:int}.pdf", May.MemberOfTarget, (s, t, f) => Sync(Get($"/arshjul/{Org(t)}/2026.pdf"))),

        // Meeting calendars and body calendar feeds.
        new("GET /api/v1/organisations/{organisationId}/meetings/{year:int}", May.MemberOfTarget, (s, t, f) => Sync(Get($"/api/v1/organisations/{Org(t)}/meetings/2027"))),
        new("POST /api/v1/organisations/{organisationId}/meetings/{year:int}", May.ProcessOwnerOfTarget, (s, t, f) =>
            Sync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/organisations/{Org(t)}/meetings/2027?dryRun=true") { Content = new StringContent($"body,date\n{MatrixScene.Body(t)},2027-03-04\n", Encoding.UTF8, "text/csv") })),
        new("POST /api/v1/organisations/{organisationId}/meetings/{year:int}/undo", May.ProcessOwnerOfTarget, (s, t, f) => Sync(Send(HttpMethod.Post, $"/api/v1/organisations/{Org(t)}/meetings/2027/undo?dryRun=true"))),
        new("GET /api/v1/organisations/{organisationId}/meetings/{year:int}/versions", May.ProcessOwnerOfTarget, (s, t, f) => Sync(Get($"/api/v1/organisations/{Org(t)}/meetings/2027/versions"))),
        new("GET /api/v1/bodies/{organisationId}/{bodyId}/calendar/", May.AdministratorOrProcessOwnerOfTarget, (s, t, f) => Sync(Get($"/api/v1/bodies/{Org(t)}/{MatrixScene.Body(t)}/calendar"))),
        new("POST /api/v1/bodies/{organisationId}/{bodyId}/calendar/renew", May.AdministratorOrProcessOwnerOfTarget, (s, t, f) => Sync(Send(HttpMethod.Post, $"/api/v1/bodies/{Org(t)}/{MatrixScene.Body(t)}/calendar/renew"))),
        new("DELETE /api/v1/bodies/{organisationId}/{bodyId}/calendar/", May.AdministratorOrProcessOwnerOfTarget, (s, t, f) => Sync(Send(HttpMethod.Delete, $"/api/v1/bodies/{Org(t)}/{MatrixScene.Body(t)}/calendar"))),

        // Steps: reads for the organisation's people; each action for whom the engine's rule names.
        new("GET /api/v1/steps/{id:guid}", May.MemberOfTarget, (s, t, f) => Sync(Get(Step(s, t, StepSetup.Opened, false)))),
        new("GET /api/v1/steps/{id:guid}/deliverables", May.MemberOfTarget, (s, t, f) => Sync(Get($"/api/v1/steps/{s.File[t].Step}/deliverables"))),
        new("GET /api/v1/steps/{id:guid}/deliverable/{fileId:guid}", May.MemberOfTarget, (s, t, f) => Sync(Get($"/api/v1/steps/{s.File[t].Step}/deliverable/{s.File[t].File}"))),
        new("POST /api/v1/steps/{id:guid}/deliverable", May.ContributorOfTarget, (s, t, f) =>
        {
            var content = new ByteArrayContent("matris"u8.ToArray()) { Headers = { ContentType = new("text/plain") } };
            return Sync(new HttpRequestMessage(HttpMethod.Post, $"{Step(s, t, StepSetup.Opened, false)}/deliverable") { Content = new MultipartFormDataContent { { content, "file", "matris.txt" } } });
        }),
        new("POST /api/v1/steps/{id:guid}/submit", May.ContributorOfTarget, (s, t, f) => Sync(Send(HttpMethod.Post, $"{Step(s, t, StepSetup.Opened, f)}/submit", new { comment = "matris" }))),
        new("POST /api/v1/steps/{id:guid}/approve", (p, t) => May.FirstApproverOfTarget(p, t), (s, t, f) => Sync(Send(HttpMethod.Post, $"{Step(s, t, StepSetup.FirstApproval, f)}/approve", new { comment = "ok" }))),
        new("POST /api/v1/steps/{id:guid}/return", May.SecondApproverOfTarget, (s, t, f) => Sync(Send(HttpMethod.Post, $"{Step(s, t, StepSetup.SecondApproval, f)}/return", new { comment = "gör om" }))),
        new("POST /api/v1/steps/{id:guid}/skip", May.ProcessOwnerOfTarget, (s, t, f) => Sync(Send(HttpMethod.Post, $"{Step(s, t, StepSetup.Opened, f)}/skip", new { reason = "matris" }))),
        new("POST /api/v1/steps/{id:guid}/cancel", May.ProcessOwnerOfTarget, (s, t, f) => Sync(Send(HttpMethod.Post, $"{Step(s, t, StepSetup.Opened, f)}/cancel", new { reason = "matris" }))),
        new("POST /api/v1/steps/{id:guid}/confirm", May.ConfirmerOfTarget, (s, t, f) => Sync(Send(HttpMethod.Post, $"{Step(s, t, StepSetup.Meeting, f)}/confirm", new { comment = "ägde rum" }))),
        new("POST /api/v1/steps/{id:guid}/remind", May.ProcessOwnerOfTarget, (s, t, f) => Sync(Send(HttpMethod.Post, $"{Step(s, t, StepSetup.Opened, f)}/remind"))),
        new("PATCH /api/v1/steps/{id:guid}", May.ProcessOwnerOfTarget, (s, t, f) => Sync(Send(HttpMethod.Patch, Step(s, t, StepSetup.Opened, false), new { due = "2027-12-01" }))),
        new("POST /api/v1/steps/{id:guid}/reschedule-preview", May.ProcessOwnerOfTarget, (s, t, f) => Sync(Send(HttpMethod.Post, $"{Step(s, t, StepSetup.Opened, false)}/reschedule-preview", new { due = "2027-12-01" }))),

        // Pages (UI actions): each page decides on the server, not by hiding buttons. A browser with the persona's cookie.
        new("GET,POST /", May.SignedIn, (s, t, f) => Sync(Get("/")), Channel.Browser, Renders, PerTarget: false),
        new("GET,POST /cykler", May.MemberOfTarget, (s, t, f) => Sync(Get("/cykler")), Channel.Browser, Names((s, t) => $"/cykler/{s.Cycle[t]}")),
        new("GET,POST /cykler/ny", May.AnyProcessOwner, (s, t, f) => Sync(Get("/cykler/ny")), Channel.Browser, Renders, PerTarget: false),
        new("GET,POST /ledtider", May.AnyProcessOwner, (s, t, f) => Sync(Get("/ledtider")), Channel.Browser, Renders, PerTarget: false),
        new("GET,POST /cykler/{Id:guid}", May.MemberOfTarget, (s, t, f) => Sync(Get($"/cykler/{s.Cycle[t]}")), Channel.Browser, Names((s, t) => "data-testid=\"cycle-name\"")),
        new("GET,POST /steg/{Id:guid}", May.MemberOfTarget, (s, t, f) => Sync(Get($"/steg/{s.File[t].Step}")), Channel.Browser, Names((s, t) => "data-testid=\"step-due\"")),
        new("GET,POST /arshjulet", May.SignedIn, (s, t, f) => Sync(Get("/arshjulet")), Channel.Browser, Renders, PerTarget: false),
        new("GET,POST /admin/anvandare", May.AdministratorOfTarget, (s, t, f) => Sync(Get("/admin/anvandare")), Channel.Browser, Names((s, t) => s.User[t].Email)),
        new("GET,POST /admin/definitioner", May.AdministratorOfTarget, (s, t, f) => Sync(Get("/admin/definitioner")), Channel.Browser, Names((s, t) => $"{Org(t)}.json")),
        new("GET,POST /admin/epost", May.AnyAdministrator, (s, t, f) => Sync(Get("/admin/epost")), Channel.Browser, Names((s, t) => "data-testid=\"email-stats\""), PerTarget: false),
        new("GET,POST /epost", May.AdministratorOrProcessOwnerOfTarget, (s, t, f) => Sync(Get("/epost")), Channel.Browser, Names((s, t) => $"data-id=\"{s.CycleEmail[t]}\"")),
        new("GET,POST /admin/ersattare", May.AdministratorOrProcessOwnerOfTarget, (s, t, f) => Sync(Get("/admin/ersattare")), Channel.Browser, Names((s, t) => s.User[t].Name)),
        new("GET,POST /admin/sammantraden", May.AnyProcessOwner, (s, t, f) => Sync(Get("/admin/sammantraden")), Channel.Browser, Names((s, t) => "data-testid=\"meeting-file\""), PerTarget: false),
        new("GET,POST /konto/installningar", May.SignedIn, (s, t, f) => Sync(Get("/konto/installningar")), Channel.Browser, Renders, PerTarget: false),
        new("GET,POST /konto/byt-losenord", May.SignedIn, (s, t, f) => Sync(Get("/konto/byt-losenord")), Channel.Browser, Renders, PerTarget: false),
        new("GET,POST /konto/logga-in", May.Anyone, (s, t, f) => Sync(Get("/konto/logga-in")), Channel.Browser, Renders, PerTarget: false),
        new("GET,POST /konto/atkomst-nekad", May.Anyone, (s, t, f) => Sync(Get("/konto/atkomst-nekad")), Channel.Browser, Judge: (s, t, r) => Task.FromResult(r.StatusCode == HttpStatusCode.OK), PerTarget: false),

        // The Hangfire dashboard spans every organisation's jobs.
        new("* /ops/hangfire/{**path}", May.SystemAdministratorOnly, (s, t, f) => Sync(Get("/ops/hangfire/recurring")), Channel.Browser, Judge: (s, t, r) => Task.FromResult(r.StatusCode == HttpStatusCode.OK), PerTarget: false),
    ];

    [Fact]
    public async Task EveryCell_OfEveryRow_IsAllowedOrRefusedAsTheTableSays()
    {
        await using var scene = await MatrixScene.CreateAsync();
        var wrong = new List<string>();
        var asked = 0;
        foreach (var row in Rows)
        {
            foreach (var persona in Enum.GetValues<Persona>())
            {
                foreach (var target in row.PerTarget ? Enum.GetValues<Target>() : [OwnBody])
                {
                    var expected = row.Allowed(persona, target);
                    if (!row.PerTarget && Enum.GetValues<Target>().Any(t => row.Allowed(persona, t) != expected))
                    {
                        wrong.Add($"{row.Key}: the row says it is about no target, but its rule depends on the target");
                    }

                    using var request = await row.Ask(scene, target, expected);
                    var client = row.Channel == Channel.Api ? scene.Api(persona) : scene.Browser(persona);
                    using var response = await client.SendAsync(request);
                    var allowed = row.Judge is null ? !Refused(response) : await row.Judge(scene, target, response);
                    asked++;
                    if (allowed != expected)
                    {
                        wrong.Add($"{row.Key} as {persona} on {(row.PerTarget ? target : "—")}: expected {(expected ? "allowed" : "refused")}, got {(int)response.StatusCode} ({(allowed ? "allowed" : "refused")})");
                    }
                }
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} of {asked} cells differ from the table:\n" + string.Join("\n", wrong));
    }

    /// <summary>401, 403, 404, or (for a browser's paths outside /api) a redirect to sign in or to "access denied".</summary>
    private static bool Refused(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound
        || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString is { } to
            && (to.Contains("/konto/logga-in", StringComparison.Ordinal) || to.Contains("/konto/atkomst-nekad", StringComparison.Ordinal)));

    [Fact]
    public void EveryMappedEndpoint_HasARowInTheTable_AndEveryRowAnEndpoint()
    {
        using var factory = AnnualCycleFactory.Sqlite();
        var mapped = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.Select(KeyOf).ToHashSet();
        var rows = Rows.Select(r => r.Key).ToList();

        Assert.Equal(rows.Count, rows.Distinct().Count());
        var missing = mapped.Except(rows).Order().ToList();
        var stale = rows.Except(mapped).Order().ToList();
        Assert.True(missing.Count == 0, "Endpoints without a row in AuthorizationMatrixTests.Rows (say who may use them):\n" + string.Join("\n", missing));
        Assert.True(stale.Count == 0, "Rows for endpoints the app no longer maps:\n" + string.Join("\n", stale));
    }

    /// <summary>An endpoint as the table names it: methods and route pattern; every static asset is one row.</summary>
    private static string KeyOf(Endpoint endpoint)
    {
        var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
        var method = methods is null || methods.Count == 0 ? "*" : string.Join(",", methods);
        if (endpoint.Metadata.GetMetadata<StaticAssetDescriptor>() is not null)
        {
            return $"{method} (static assets)";
        }

        var pattern = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? endpoint.DisplayName ?? "(unnamed)";
        return $"{method} {pattern}";
    }
}
