// Front Door in front of the function app: one endpoint, the function app as the only origin,
// and a rule set that adds the function key to every request, caches the images, and tells the
// app which clients want errors as images.

param profileName string
param endpointName string
param functionAppName string
param tags object = {}

@secure()
@description('Value of the function app\'s host key that Front Door sends; the same value api.bicep gives the key.')
param functionKey string

resource profile 'Microsoft.Cdn/profiles@2025-04-15' existing = {
  name: profileName
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' existing = {
  name: functionAppName
}

resource endpoint 'Microsoft.Cdn/profiles/afdEndpoints@2025-04-15' = {
  parent: profile
  name: endpointName
  location: 'global'
  tags: tags
  properties: {
    enabledState: 'Enabled'
  }
}

// A single origin: no health probes (they would arrive without the function key).
resource originGroup 'Microsoft.Cdn/profiles/originGroups@2025-04-15' = {
  parent: profile
  name: 'function-app'
  properties: {
    loadBalancingSettings: {
      sampleSize: 4
      successfulSamplesRequired: 3
      additionalLatencyInMilliseconds: 50
    }
    sessionAffinityState: 'Disabled'
  }
}

resource origin 'Microsoft.Cdn/profiles/originGroups/origins@2025-04-15' = {
  parent: originGroup
  name: 'function-app'
  properties: {
    hostName: functionApp.properties.defaultHostName
    originHostHeader: functionApp.properties.defaultHostName
    httpPort: 80
    httpsPort: 443
    priority: 1
    weight: 1000
    enabledState: 'Enabled'
    enforceCertificateNameCheck: true
  }
}

resource ruleSet 'Microsoft.Cdn/profiles/ruleSets@2025-04-15' = {
  parent: profile
  name: 'FunctionApp'
}

// Every request gets the function key, whatever x-functions-key the client sent. The value is
// the deployment's own parameter, the one api.bicep writes into the host key: nothing is read
// from the host, which has no keys before the first code deployment.
resource functionKeyRule 'Microsoft.Cdn/profiles/ruleSets/rules@2025-04-15' = {
  parent: ruleSet
  name: 'AddFunctionKey'
  properties: {
    order: 1
    conditions: []
    actions: [
      {
        name: 'ModifyRequestHeader'
        parameters: {
          typeName: 'DeliveryRuleHeaderActionParameters'
          headerAction: 'Overwrite'
          headerName: 'x-functions-key'
          value: functionKey
        }
      }
    ]
    matchProcessingBehavior: 'Continue'
  }
}

// Image paths are cached per full query string, for as long as the app's Cache-Control says
// (public, max-age on images; no-store on errors). Paths are written without the leading slash.
resource cacheImagesRule 'Microsoft.Cdn/profiles/ruleSets/rules@2025-04-15' = {
  parent: ruleSet
  name: 'CacheImages'
  properties: {
    order: 2
    conditions: [
      {
        name: 'UrlPath'
        parameters: {
          typeName: 'DeliveryRuleUrlPathMatchConditionParameters'
          operator: 'BeginsWith'
          negateCondition: false
          matchValues: [
            'charts/'
            'chart'
            'maps/'
            'generate_map'
          ]
          transforms: []
        }
      }
    ]
    actions: [
      {
        name: 'RouteConfigurationOverride'
        parameters: {
          typeName: 'DeliveryRuleRouteConfigurationOverrideActionParameters'
          cacheConfiguration: {
            queryStringCachingBehavior: 'UseQueryString'
            cacheBehavior: 'HonorOrigin'
            isCompressionEnabled: 'Disabled'
          }
        }
      }
    ]
    matchProcessingBehavior: 'Continue'
  }
}

// Front Door does not forward Accept on the routes it caches, so the app cannot tell an <img>
// (whose Accept begins with image/ in every browser) from a script, and would answer errors as
// JSON: a broken image on the page. This rule passes what the app needs in a header that is
// forwarded. Browsers that send Sec-Fetch-Dest (forwarded as it is) do not need it; older ones
// and e-mail image proxies do. Only errors depend on it: they are no-store, never cached.
resource errorImagesRule 'Microsoft.Cdn/profiles/ruleSets/rules@2025-04-15' = {
  parent: ruleSet
  name: 'ErrorImagesForImageClients'
  properties: {
    order: 3
    conditions: [
      {
        name: 'RequestHeader'
        parameters: {
          typeName: 'DeliveryRuleRequestHeaderConditionParameters'
          selector: 'Accept'
          operator: 'BeginsWith'
          negateCondition: false
          matchValues: [
            'image/'
          ]
          transforms: [
            'Lowercase'
          ]
        }
      }
    ]
    actions: [
      {
        name: 'ModifyRequestHeader'
        parameters: {
          typeName: 'DeliveryRuleHeaderActionParameters'
          headerAction: 'Overwrite'
          headerName: 'X-Chartmap-Accept'
          value: 'image/*'
        }
      }
    ]
    matchProcessingBehavior: 'Continue'
  }
}

// No caching on the route itself: only the CacheImages rule caches, and only images.
resource route 'Microsoft.Cdn/profiles/afdEndpoints/routes@2025-04-15' = {
  parent: endpoint
  name: 'default'
  dependsOn: [
    origin
    functionKeyRule
    cacheImagesRule
    errorImagesRule
  ]
  properties: {
    originGroup: {
      id: originGroup.id
    }
    ruleSets: [
      {
        id: ruleSet.id
      }
    ]
    supportedProtocols: [
      'Http'
      'Https'
    ]
    patternsToMatch: [
      '/*'
    ]
    forwardingProtocol: 'HttpsOnly'
    httpsRedirect: 'Enabled'
    linkToDefaultDomain: 'Enabled'
    enabledState: 'Enabled'
  }
}

output endpointName string = endpoint.name
output endpointHostName string = endpoint.properties.hostName
