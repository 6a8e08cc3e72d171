// The function app: Flex Consumption (FC1), Python, reachable only through Front Door.

param name string
param planName string
param location string
param tags object = {}

@description('Service name in azure.yaml: azd deploys the code to the resource with this tag.')
param serviceName string = 'api'

param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsName string

@description('Blob container of the tile cache shared by the instances, in the storage account.')
param tileBlobContainerName string

@description('The Front Door profile\'s ID: requests must come from Front Door and carry it in X-Azure-FDID.')
param frontDoorId string

// Scale and concurrency of the Flex Consumption plan (README, "Deployment").
// 512 MB instances exist too, too small for concurrent renders.
@allowed([
  2048
  4096
])
@description('Memory of each instance, MB: 2048 has one vCPU, 4096 two.')
param instanceMemoryMB int = 2048

@minValue(40)
@maxValue(1000)
@description('Most instances the app scales out to: a bound on the bill (40 is the lowest the plan accepts).')
param maximumInstanceCount int = 40

// Python's default is one request per instance, so every concurrent cache miss would start
// (and bill) an instance of its own. Four share one: renders are short and bounded, maps
// mostly wait on tile servers, and four worst-case renders fit in a 2048 MB instance.
@minValue(1)
@maxValue(1000)
@description('Requests one instance serves at once before the platform adds another.')
param perInstanceConcurrency int = 4

@minValue(0)
@description('Instances kept running for HTTP, billed around the clock; 0 scales to zero.')
param alwaysReadyInstances int = 0

// Settings of the API (README, "Configuration").
@description('URL named in the User-Agent of tile requests (OpenStreetMap\'s tile policy asks for a contact).')
param contactUrl string

@description('Cache-Control max-age of images, seconds: how long Front Door and browsers keep them.')
param cacheMaxAge int = 86400

// OpenStreetMap's tiles in production; run locally, the app defaults to its embedded basemap.
@description('Tile provider when a map request names none.')
param defaultProvider string = 'osm'

@description('Comma-separated provider names offered to requests; empty: every configured one.')
param enabledProviders string = ''

@description('JSON list of extra tile providers (README, CHARTMAP_TILE_PROVIDERS).')
param tileProviders string = ''

@description('Disk bound of the tile cache, bytes (local temporary storage of the instance).')
param tileCacheDiskBytes int = 268435456

@description('Largest output image, pixels after scale.')
param maxPixels int = 4000000

@description('Seconds all tile fetching of one map may take.')
param mapTimeBudget int = 15

@secure()
@description('Tile provider keys: environment variable name -> key, e.g. CHARTMAP_STADIA_API_KEY.')
param tileProviderKeys object

@secure()
@description('Secret for signed URLs; empty: signing off.')
param urlSigningSecret string

@secure()
@description('Value of the host key that Front Door sends in x-functions-key.')
param functionKey string

@description('CIDR ranges (e.g. 203.0.113.7/32) admitted to the deployment (SCM) site; empty: any address, Entra ID sign-in still required.')
param scmAllowedIpRanges array = []

var pythonVersion = '3.12'
// Name of the host key that Front Door sends; its value is the functionKey parameter.
var frontDoorKeyName = 'frontdoor'
var alwaysReadyHttp = [
  {
    name: 'http'
    instanceCount: alwaysReadyInstances
  }
]
var alwaysReady = (alwaysReadyInstances > 0) ? alwaysReadyHttp : []

var chartmapSettings = {
  CHARTMAP_CONTACT_URL: contactUrl
  CHARTMAP_CACHE_MAX_AGE: string(cacheMaxAge)
  CHARTMAP_DEFAULT_PROVIDER: defaultProvider
  CHARTMAP_ENABLED_PROVIDERS: enabledProviders
  CHARTMAP_TILE_PROVIDERS: tileProviders
  // Local temporary storage of the instance: fast, and gone with the instance.
  CHARTMAP_TILE_CACHE_DIR: '/tmp/chartmap-tiles'
  CHARTMAP_TILE_CACHE_DISK_BYTES: string(tileCacheDiskBytes)
  // The blob tier, shared by every instance: the app's own storage account, reached with its
  // managed identity (a role of app/rbac.bicep), in a container with a lifecycle rule.
  CHARTMAP_TILE_BLOB_ACCOUNT_URL: storage.properties.primaryEndpoints.blob
  CHARTMAP_TILE_BLOB_CONTAINER: tileBlobContainerName
  CHARTMAP_TILE_BLOB_CLIENT_ID: identityClientId
  CHARTMAP_MAX_PIXELS: string(maxPixels)
  CHARTMAP_MAP_TIME_BUDGET: string(mapTimeBudget)
  // Front Door refuses URLs over 8 KB itself: the app's limit (and its documented 414) match it.
  CHARTMAP_MAX_URL_LENGTH: '8192'
  // matplotlib writes its font cache here; the app's own folder is read-only.
  MPLCONFIGDIR: '/tmp/matplotlib'
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  // checkov:skip=CKV_AZURE_225: Zone redundancy is not offered in every Flex Consumption region; Front Door keeps serving cached images when the origin is down
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  // checkov:skip=CKV_AZURE_222: Front Door Standard reaches origins over their public endpoint; the access restriction admits only this Front Door profile
  // checkov:skip=CKV_AZURE_17: Front Door presents no client certificate to origins; it is identified by X-Azure-FDID and the function key instead
  // checkov:skip=CKV_AZURE_212: Flex Consumption scales from zero on demand; always-ready instances would be billed around the clock
  // checkov:skip=CKV_AZURE_213: Every path needs the function key, which the platform health check does not send; Flex Consumption replaces failed instances itself
  name: name
  location: location
  tags: union(tags, {
    'azd-service-name': serviceName
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      // Only Front Door, and only this profile of it, reaches the app; the function key that
      // Front Door adds to every request is the second lock.
      ipSecurityRestrictionsDefaultAction: 'Deny'
      ipSecurityRestrictions: [
        {
          name: 'FrontDoorOnly'
          description: 'Requests through this Front Door profile'
          action: 'Allow'
          priority: 100
          tag: 'ServiceTag'
          ipAddress: 'AzureFrontDoor.Backend'
          headers: {
            'x-azure-fdid': [
              frontDoorId
            ]
          }
        }
      ]
      // The deployment endpoint (azd deploy) keeps its own rules: Entra ID sign-in (basic
      // publishing credentials are off, below), from the given ranges only when there are any.
      scmIpSecurityRestrictionsUseMain: false
      scmIpSecurityRestrictionsDefaultAction: empty(scmAllowedIpRanges) ? 'Allow' : 'Deny'
      scmIpSecurityRestrictions: [for (cidr, i) in scmAllowedIpRanges: {
        name: 'Deployer${i}'
        description: 'Deployment from an allowed range'
        action: 'Allow'
        priority: 100 + i
        ipAddress: cidr
      }]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: alwaysReady
        triggers: {
          http: {
            perInstanceConcurrency: perInstanceConcurrency
          }
        }
      }
      runtime: {
        name: 'python'
        version: pythonVersion
      }
    }
  }
}

resource appSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  // checkov:skip=CKV_AZURE_13: This resource holds app settings only; callers are authenticated by the function key and the Front Door access restriction, not App Service Authentication
  // checkov:skip=CKV_AZURE_63: This resource holds app settings only; the function app logs to Application Insights
  // checkov:skip=CKV_AZURE_65: This resource holds app settings only; the function app logs to Application Insights
  // checkov:skip=CKV_AZURE_66: This resource holds app settings only; the function app logs to Application Insights
  // checkov:skip=CKV_AZURE_80: This resource holds app settings only; the app runs Python, not .NET
  // checkov:skip=CKV_AZURE_88: This resource holds app settings only; Flex Consumption has no Azure Files content share
  // checkov:skip=CKV_AZURE_222: This resource holds app settings only; public access is restricted on the site (see its access restrictions)
  parent: functionApp
  name: 'appsettings'
  properties: union(chartmapSettings, tileProviderKeys, empty(urlSigningSecret) ? {} : {
    CHARTMAP_URL_SIGNING_SECRET: urlSigningSecret
  }, {
    AzureWebJobsStorage__accountName: storage.name
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  })
}

// The host key Front Door sends. Its value is given, not generated and then read back, so the
// first provision needs no key from a host that may not have started yet. Written after the
// app settings, which tell the host where its keys are stored.
resource frontDoorKey 'Microsoft.Web/sites/host/functionKeys@2024-11-01' = {
  name: '${functionApp.name}/default/${frontDoorKeyName}'
  dependsOn: [
    appSettings
  ]
  properties: {
    name: frontDoorKeyName
    value: functionKey
  }
}

// Publishing with user names and passwords is off: azd deploys with an Entra ID token.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = functionApp.name
output url string = 'https://${functionApp.properties.defaultHostName}'
