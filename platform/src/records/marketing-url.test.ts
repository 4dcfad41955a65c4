import { describe, expect, it } from 'vitest';
import { marketingUrl } from './marketing-url.ts';

describe('marketingUrl', () => {
  it('keeps scheme, host, path and the marketing parameters; drops details people put in query strings', () => {
    expect(marketingUrl('https://dental.example/implants/?utm_source=newsletter&utm_medium=email&email=zq%40example.test&name=Zeph#form'))
      .toBe('https://dental.example/implants/?utm_source=newsletter&utm_medium=email');
    expect(marketingUrl('https://dental.example/?gclid=abc&phone=3125550142')).toBe('https://dental.example/?gclid=abc');
    expect(marketingUrl('https://dental.example/contact')).toBe('https://dental.example/contact');
  });

  it('keeps a relative path, and stores nothing that is not a web URL', () => {
    expect(marketingUrl('/implants?utm_campaign=spring&first=Zeph')).toBe('/implants?utm_campaign=spring');
    expect(marketingUrl('google.com')).toBe('google.com');
    expect(marketingUrl('www.facebook.com/groups/x?name=Zeph')).toBe('www.facebook.com/groups/x');
    expect(marketingUrl('mailto:zq@example.test')).toBeNull();
    expect(marketingUrl('javascript:alert(1)')).toBeNull();
    expect(marketingUrl('')).toBeNull();
    expect(marketingUrl(null)).toBeNull();
  });
});
