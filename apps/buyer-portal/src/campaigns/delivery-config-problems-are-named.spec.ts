import { deliveryProblems, DeliveryMethod, toStoredDelivery } from './delivery-config';

const fields = (input: Parameters<typeof toStoredDelivery>[0]) => deliveryProblems(toStoredDelivery(input)).map((e) => e.field);

describe('a campaign delivery config', () => {
  it('is NONE when omitted, and valid', () => {
    expect(toStoredDelivery(undefined)).toEqual({ method: 'NONE' });
    expect(fields(undefined)).toEqual([]);
  });

  it('needs a URL for a webhook, and takes headers and a template', () => {
    expect(fields({ method: DeliveryMethod.WEBHOOK })).toEqual(['input.delivery.url']);
    expect(fields({ method: DeliveryMethod.WEBHOOK, url: 'https://crm.example/leads', headers: { Authorization: 'Bearer x' }, template: { postRequest: '{"phone": fields.phone}' } })).toEqual([]);
  });

  it('needs valid addresses for email, normalised and at most 10', () => {
    expect(toStoredDelivery({ method: DeliveryMethod.EMAIL, email: ' Sales@Example.com , b@example.com' }).email).toBe('sales@example.com, b@example.com');
    expect(fields({ method: DeliveryMethod.EMAIL })).toEqual(['input.delivery.email']);
    expect(fields({ method: DeliveryMethod.EMAIL, email: 'a@example.com, not-an-address' })).toEqual(['input.delivery.email']);
    expect(fields({ method: DeliveryMethod.EMAIL, email: Array.from({ length: 11 }, (_, i) => `r${i}@example.com`).join(',') })).toEqual(['input.delivery.email']);
  });

  it('refuses settings of another method, bad or reserved headers, and a broken template, each by name', () => {
    expect(fields({ method: DeliveryMethod.EMAIL, email: 'a@example.com', url: 'https://x.example' })).toEqual(['input.delivery.url']);
    expect(fields({ method: DeliveryMethod.WEBHOOK, url: 'https://x.example', headers: { 'Idempotency-Key': 'mine', 'bad name': 'v', 'X-Ok': 'a\r\nInjected: 1' } })).toEqual([
      'input.delivery.headers.Idempotency-Key',
      'input.delivery.headers.bad name',
      'input.delivery.headers.X-Ok',
    ]);
    expect(fields({ method: DeliveryMethod.WEBHOOK, url: 'https://x.example', template: { postRequest: '{{{' } })).toEqual(['input.delivery.template.postRequest']);
  });
});
