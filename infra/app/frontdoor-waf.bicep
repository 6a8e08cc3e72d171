// The web application firewall of the Front Door endpoint. Every request, cached or not,
// counts against a per-client rate limit, so no single address can keep the function app
// rendering on its own. Front Door Standard offers custom rules such as this one; the managed
// rule sets need Premium.

@description('Name of the WAF policy: letters and digits only, starting with a letter.')
param name string

param profileName string
param endpointName string
param tags object = {}

// Front Door counts per edge server, so a low threshold lets some excess through; one client
// behind a shared address (an office, a mobile carrier, an e-mail image proxy) counts once.
@minValue(10)
@description('Requests one client IP address may send per minute; the rest of that minute gets 429.')
param rateLimitPerMinute int

resource profile 'Microsoft.Cdn/profiles@2025-04-15' existing = {
  name: profileName
}

resource endpoint 'Microsoft.Cdn/profiles/afdEndpoints@2025-04-15' existing = {
  parent: profile
  name: endpointName
}

resource wafPolicy 'Microsoft.Network/FrontDoorWebApplicationFirewallPolicies@2024-02-01' = {
  name: name
  location: 'Global'
  tags: tags
  sku: {
    name: 'Standard_AzureFrontDoor'
  }
  properties: {
    policySettings: {
      enabledState: 'Enabled'
      mode: 'Prevention'
      // The only blocking rule is the rate limit: say so to the client.
      customBlockResponseStatusCode: 429
    }
    customRules: {
      rules: [
        {
          name: 'PerClientRateLimit'
          priority: 100
          enabledState: 'Enabled'
          ruleType: 'RateLimitRule'
          rateLimitDurationInMinutes: 1
          rateLimitThreshold: rateLimitPerMinute
          // Counted per TCP peer, which a client cannot choose the way it can X-Forwarded-For.
          groupBy: [
            {
              variableName: 'SocketAddr'
            }
          ]
          // Every address matches: the limit applies to all requests.
          matchConditions: [
            {
              matchVariable: 'SocketAddr'
              operator: 'IPMatch'
              negateCondition: false
              matchValue: [
                '0.0.0.0/0'
                '::/0'
              ]
            }
          ]
          action: 'Block'
        }
      ]
    }
  }
}

// The policy applies to the endpoint's default domain, on every path.
resource securityPolicy 'Microsoft.Cdn/profiles/securityPolicies@2025-04-15' = {
  parent: profile
  name: 'rate-limit'
  properties: {
    parameters: {
      type: 'WebApplicationFirewall'
      wafPolicy: {
        id: wafPolicy.id
      }
      associations: [
        {
          domains: [
            {
              id: endpoint.id
            }
          ]
          patternsToMatch: [
            '/*'
          ]
        }
      ]
    }
  }
}

output wafPolicyName string = wafPolicy.name
