// The Azure Front Door Standard profile. Its frontDoorId is what the function app's access
// restriction expects in X-Azure-FDID, so the profile is created before the function app.

param name string
param tags object = {}

@description('Seconds Front Door waits for the origin: a map may fetch tiles for up to 15 s before drawing.')
param originResponseTimeoutSeconds int = 60

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

output name string = profile.name
output frontDoorId string = profile.properties.frontDoorId
