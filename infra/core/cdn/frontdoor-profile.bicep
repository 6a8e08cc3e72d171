// The Azure Front Door Standard profile. Its frontDoorId is what the function app's access
// restriction expects in X-Azure-FDID, so the profile is created before the function app.
// Its access and WAF logs go to the Log Analytics workspace.

param name string
param tags object = {}

// Above the function's own timeout (host.json functionTimeout, 45 s), so that a render the host
// stops is answered by the app, not cut off by Front Door while the function still runs.
@minValue(16)
@maxValue(240)
@description('Seconds Front Door waits for the origin: more than host.json\'s functionTimeout.')
param originResponseTimeoutSeconds int = 60

@description('Resource ID of the Log Analytics workspace that receives the access and WAF logs.')
param logAnalyticsWorkspaceId string

resource profile 'Microsoft.Cdn/profiles@2025-04-15' = {
  name: name
  location: 'global'
  tags: tags
  sku: {
    name: 'Standard_AzureFrontDoor'
  }
  properties: {
    originResponseTimeoutSeconds: originResponseTimeoutSeconds
  }
}

// One row per request (cache hits too) and one per WAF decision: who was rate limited, and
// what the edge served. They count against the workspace's daily cap like all telemetry.
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'log-analytics'
  scope: profile
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'FrontDoorAccessLog'
        enabled: true
      }
      {
        category: 'FrontDoorWebApplicationFirewallLog'
        enabled: true
      }
    ]
  }
}

output name string = profile.name
output frontDoorId string = profile.properties.frontDoorId
