// Storage of the function host (keys, leases), of its deployment packages, and of the tile
// cache shared by every instance (the blob tier, README "Configuration").
// Reached with the function app's managed identity only: shared keys are disabled.

@description('Name of the storage account (3-24 lowercase letters and digits).')
param name string

param location string
param tags object = {}

@description('Blob container that holds the deployment packages of the function app.')
param deploymentContainerName string

@description('Blob container of the tile cache shared by the instances (CHARTMAP_TILE_BLOB_CONTAINER).')
param tileContainerName string = 'tiles'

@minValue(1)
@description('Days after its last write that a cached tile blob is deleted: the bound of the shared tile cache.')
param tileRetentionDays int

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  // checkov:skip=CKV_AZURE_35: Flex Consumption without a virtual network reaches its storage over the public endpoint; access needs Entra ID, shared keys are off
  // checkov:skip=CKV_AZURE_59: Flex Consumption without a virtual network reaches its storage over the public endpoint; access needs Entra ID, shared keys are off
  // checkov:skip=CKV_AZURE_206: Deployment packages and host state that a redeployment recreates; locally redundant storage is enough
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    dnsEndpointType: 'Standard'
    minimumTlsVersion: 'TLS1_2'
    publicNetworkAccess: 'Enabled'
    supportsHttpsTrafficOnly: true
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource tileContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: tileContainerName
  properties: {
    publicAccess: 'None'
  }
}

// The tile cache's bound: a tile blob not rewritten (fetched or refreshed) for tileRetentionDays
// is deleted. Tiles are kept at least CHARTMAP_TILE_MIN_TTL (7 days) and refreshed in place when
// they expire, so one still in use is rewritten before its days run out.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2024-01-01' = {
  parent: storage
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'expire-cached-tiles'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                '${tileContainerName}/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: tileRetentionDays
                }
              }
            }
          }
        }
      ]
    }
  }
}

output name string = storage.name
output tileContainerName string = tileContainer.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
