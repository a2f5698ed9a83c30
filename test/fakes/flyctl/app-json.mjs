/**
 * GraphQL-side structs (superfly/fly-go types.go): no json tags, so PascalCase keys in struct
 * order and every zero value present. `apps list` fills only the fields its query asks for
 * (id, name, deployed, hostname, platformVersion, network, organization{slug,name},
 * currentRelease{createdAt,status}, status); `apps create --json` prints GetApp's richer App.
 */
import { orgId, numericId } from './ids.mjs';

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** fly.Release with only the fields GetAppReleasesMachines queries set. */
export function releaseJson(release) {
  return {
    ID: release.id ?? '',
    Version: release.version ?? 0,
    Stable: release.stable ?? false,
    InProgress: false,
    Reason: release.reason ?? '',
    Description: release.description ?? '',
    Status: release.status ?? '',
    DeploymentStrategy: '',
    Metadata: null,
    User: { ID: release.user?.id ?? '', Name: release.user?.name ?? '', Email: release.user?.email ?? '', EnablePaidHobby: false },
    EvaluationID: '',
    CreatedAt: release.createdAt ?? ZERO_TIME,
    ImageRef: release.imageRef ?? '',
  };
}

const zeroRelease = () => releaseJson({});
const zeroImage = () => ({ Registry: '', Repository: '', Tag: '', Version: '', Digest: '' });

function organizationJson(org, full) {
  return {
    ID: full ? orgId(org.slug) : '',
    InternalNumericID: full ? numericId('org', org.slug) : '',
    Name: org.name,
    RemoteBuilderImage: '',
    RemoteBuilderApp: null,
    Slug: org.slug,
    RawSlug: full ? org.slug : '',
    Type: full ? org.type : '',
    PaidPlan: full ? Boolean(org.paidPlan) : false,
    Billable: false,
    Settings: null,
    AllowedReplaySourceOrgSlugs: null,
    AllowAllCrossNetworkReplays: false,
    WireGuardPeer: null,
    WireGuardPeers: { Nodes: null, Edges: null },
    DelegatedWireGuardTokens: { Nodes: null, Edges: null },
    LoggedCertificates: null,
  };
}

export const latestRelease = (app) => [...(app.releases ?? [])].sort((a, b) => b.version - a.version)[0];

/** fly.App; `full` = GetApp (apps create --json), otherwise the apps list query. */
export function appJson(app, org, { full = false } = {}) {
  const current = latestRelease(app);
  const currentRelease = current ? { ...zeroRelease(), Status: current.status, CreatedAt: current.createdAt } : null;
  return {
    ID: app.id ?? app.name,
    InternalNumericID: full ? (app.internalNumericId ?? 0) : 0,
    Name: app.name,
    State: '',
    Status: app.status,
    Deployed: Boolean(app.deployed),
    Hostname: app.hostname,
    AppURL: full ? `https://${app.hostname}` : '',
    Version: full ? (current?.version ?? 0) : 0,
    NetworkID: 0,
    Network: app.network ?? '',
    Release: null,
    Organization: organizationJson(org, full),
    Secrets: null,
    CurrentRelease: currentRelease,
    Releases: { Nodes: null },
    IPAddresses: { Nodes: null },
    EgressIpAddresses: { Nodes: null },
    SharedIPAddress: '',
    CNAMETarget: '',
    IPAddress: null,
    Certificates: { Nodes: null },
    Certificate: {
      ID: '',
      AcmeDNSConfigured: false,
      AcmeALPNConfigured: false,
      Configured: false,
      CertificateAuthority: '',
      CreatedAt: ZERO_TIME,
      DNSProvider: '',
      DNSValidationInstructions: '',
      DNSValidationHostname: '',
      DNSValidationTarget: '',
      Hostname: '',
      Source: '',
      ClientStatus: '',
      IsApex: false,
      IsWildcard: false,
      ValidationErrors: null,
      Issued: { Nodes: null },
    },
    PostgresAppRole: null,
    Image: null,
    ImageUpgradeAvailable: false,
    ImageVersionTrackingEnabled: false,
    ImageDetails: zeroImage(),
    LatestImageDetails: zeroImage(),
    PlatformVersion: 'machines',
    Machines: { Nodes: null },
    CurrentLock: null,
  };
}

/** fly.OrganizationBasic as GetAppCompact fills it (status --json). */
export const organizationBasicJson = (org) => ({
  ID: orgId(org.slug),
  InternalNumericID: numericId('org', org.slug),
  Name: '',
  Slug: org.slug,
  RawSlug: '',
  PaidPlan: Boolean(org.paidPlan),
});

export const orgOf = (state, app) =>
  state.orgs.find((o) => o.slug === app.org) ?? { slug: app.org, name: app.org, type: 'SHARED', paidPlan: false };
